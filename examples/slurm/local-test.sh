#!/bin/sh
# Tries the Slurm recipe for real on one machine: a one-node Slurm (slurmctld + slurmd on this
# host, munge for authentication) configured in a temporary folder, then submit.sh with N
# shards, then compares the merged result with the unsharded run file by file.
# Needs root and: apt-get install -y slurmd slurmctld slurm-client munge
# Usage: examples/slurm/local-test.sh [PROJECT] [N] [ITERATIONS]   (p80 on PATH)
set -eu
PROJECT=${1:-data/dl-project/project.toml}; N=${2:-4}; ITERATIONS=${3:-20000}
HERE=$(dirname "$(realpath "$0")")
T=$(mktemp -d /tmp/p80-slurm.XXXXXX)
HOST=$(hostname -s)
CPUS=$(nproc)
mkdir -p "$T/state" "$T/spool" "$T/log" "$T/munge" "$T/work"
cat > "$T/slurm.conf" <<CONF
ClusterName=p80test
SlurmctldHost=$HOST
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=local Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
# munge: a fresh key and a daemon of our own (its socket in the temp folder).
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$T/munge/munge.key"
mkdir -p /run/munge
munged --force --key-file="$T/munge/munge.key" --pid-file="$T/munge/munged.pid" \
  --socket=/run/munge/munge.socket.2 --log-file="$T/munge/munged.log" --seed-file="$T/munge/seed"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
cleanup() {
  for pidfile in "$T/slurmd.pid" "$T/slurmctld.pid" "$T/munge/munged.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
}
trap cleanup EXIT
for i in $(seq 1 30); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 1; done
sinfo
MERGE=$("$HERE/submit.sh" "$PROJECT" "$N" "$ITERATIONS" "$T/work")
echo "merge job $MERGE"
for i in $(seq 1 600); do
  state=$(scontrol show job "$MERGE" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  case "$state" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL) break ;; esac
  sleep 1
done
echo "merge job state: $state"
cat "$T/work/logs/merge.out"
ls -l "$T/work/shards"/*/ "$T/work/result"
p80 simulate "$PROJECT" --iterations "$ITERATIONS" --quiet --out "$T/work/unsharded"
diff -r "$T/work/unsharded" "$T/work/result" && echo "IDENTICAL: the merged result is the unsharded run, file for file"
