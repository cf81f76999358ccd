#!/usr/bin/env python3
"""Convert a PSPLIB single-mode .sm instance into a p80 project (for benchmarks).

  psplib_to_p80.py INSTANCE.sm OUTDIR [--spread 0.25]

Writes OUTDIR/tasks.csv (PERT estimates around each job's duration: optimistic
d·(1 − spread), likely d, pessimistic d·(1 + 2·spread); the dummy jobs become milestones),
OUTDIR/resources.csv (R1..R4 with the instance's capacities) and OUTDIR/project.toml.
"""
import argparse
import os
import re


def parse(path):
    lines = open(path).read().splitlines()
    succ, dur, dem, cap = {}, {}, {}, []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("PRECEDENCE RELATIONS"):
            i += 2
            while not lines[i].startswith("*"):
                f = lines[i].split()
                succ[int(f[0])] = [int(x) for x in f[3:]]
                i += 1
        elif line.startswith("REQUESTS/DURATIONS"):
            i += 3
            while not lines[i].startswith("*"):
                f = lines[i].split()
                dur[int(f[0])] = int(f[2])
                dem[int(f[0])] = [int(x) for x in f[3:]]
                i += 1
        elif line.startswith("RESOURCEAVAILABILITIES"):
            cap = [int(x) for x in lines[i + 2].split()]
            i += 3
        else:
            i += 1
    return succ, dur, dem, cap


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instance")
    ap.add_argument("outdir")
    ap.add_argument("--spread", type=float, default=0.25)
    a = ap.parse_args()
    succ, dur, dem, cap = parse(a.instance)
    preds = {j: [] for j in dur}
    for j, ss in succ.items():
        for s in ss:
            preds[s].append(j)
    os.makedirs(a.outdir, exist_ok=True)
    with open(os.path.join(a.outdir, "tasks.csv"), "w") as f:
        f.write("id,optimistic,likely,pessimistic,depends_on,resources\n")
        for j in sorted(dur):
            d = dur[j]
            o, p = d * (1 - a.spread), d * (1 + 2 * a.spread)
            res = ";".join(f"R{k + 1}:{u}" for k, u in enumerate(dem[j]) if u > 0)
            deps = ";".join(f"J{x}" for x in preds[j])
            f.write(f"J{j},{o:g},{d},{p:g},{deps},{res}\n")
    with open(os.path.join(a.outdir, "resources.csv"), "w") as f:
        f.write("id,rate,capacity\n")
        for k, c in enumerate(cap):
            f.write(f"R{k + 1},100,{c}\n")
    with open(os.path.join(a.outdir, "project.toml"), "w") as f:
        name = re.sub(r"\.sm$", "", os.path.basename(a.instance))
        f.write(f'[project]\nname = "{name}"\ntasks = "tasks.csv"\nresources = "resources.csv"\n')


if __name__ == "__main__":
    main()
