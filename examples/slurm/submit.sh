#!/bin/sh
# Submits N shards of one p80 run as a Slurm job array and a merge job that starts only when
# every shard succeeded (afterok). Usage: examples/slurm/submit.sh PROJECT N ITERATIONS WORKDIR
# WORKDIR must be on a file system every node sees (shards/ and result/ are made in it).
set -eu
PROJECT=$(realpath "$1"); N=$2; ITERATIONS=$3; WORKDIR=$(realpath "$4")
HERE=$(dirname "$(realpath "$0")")
mkdir -p "$WORKDIR/shards" "$WORKDIR/logs"
export PROJECT ITERATIONS WORKDIR
ARRAY=$(sbatch --parsable --array=0-$((N - 1)) --chdir="$WORKDIR" \
  --output="$WORKDIR/logs/shard-%a.out" --export=ALL "$HERE/shard.sbatch")
sbatch --parsable --dependency=afterok:"$ARRAY" --chdir="$WORKDIR" \
  --output="$WORKDIR/logs/merge.out" --export=ALL "$HERE/merge.sbatch"
