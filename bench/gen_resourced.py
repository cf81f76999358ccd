#!/usr/bin/env python3
"""Writes a resourced project for the backup-reserve benchmark into DIR: the layered PERT network
of ../shared/bench/gen_network.py (N tasks), each task using one or two of four resources
without capacities (ds and dev by the day, qa by the day, gpu by the hour at 24 hours a day),
and four milestones after every task of the layers at 25%, 50%, 75% and 100% of the network,
so most tasks count toward several milestones as well as the project.

    python3 bench/gen_resourced.py 10000 /tmp/res10k
    target/release/p80 simulate /tmp/res10k/project.toml -n 10000 --out /tmp/o -q
"""
import csv
import io
import os
import random
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
gen = os.path.join(here, "..", "..", "shared", "bench", "gen_network.py")
if not os.path.exists(gen):
    gen = "/work/shared/bench/gen_network.py"
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/res10k"
os.makedirs(out, exist_ok=True)
text = subprocess.run([sys.executable, gen, str(n)], check=True, capture_output=True, text=True).stdout
rows = list(csv.reader(io.StringIO(text)))
header, body = rows[0], rows[1:]
rng = random.Random(7)
names = ["ds", "dev", "qa", "gpu"]
# A task's layer: the longest chain of links before it (tasks come in topological order).
layer = {}
for r in body:
    deps = [d for d in r[5].split(";") if d]
    layer[r[0]] = 0 if not deps else 1 + max(layer[d] for d in deps)
depth = max(layer.values())
w = csv.writer(open(os.path.join(out, "tasks.csv"), "w", newline=""), lineterminator="\n")
w.writerow(header + ["type", "resources"])
for r in body:
    uses = rng.sample(names, rng.randint(1, 2))
    w.writerow(r + ["", ";".join(f"{u}:{rng.choice(['0.5', '1', '2'])}" for u in uses)])
for k, frac in enumerate([0.25, 0.5, 0.75, 1.0]):
    target = round(frac * depth)
    deps = [r[0] for r in body if layer[r[0]] == target] or [body[-1][0]]
    w.writerow([f"M{k + 1}", 0, 0, 0, "pert", ";".join(deps), "milestone", ""])
with open(os.path.join(out, "resources.csv"), "w") as f:
    f.write("id,rate,unit,hours_per_day\nds,700,day,\ndev,650,day,\nqa,500,day,\ngpu,30,hour,24\n")
with open(os.path.join(out, "project.toml"), "w") as f:
    f.write('[project]\nname = "reserves bench"\ntasks = "tasks.csv"\nresources = "resources.csv"\n')
