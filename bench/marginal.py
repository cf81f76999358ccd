#!/usr/bin/env python3
"""Marginal throughput of p80 (issue 15): the extra task-samples per extra second when the
iterations double, so that reading, compiling and writing do not count.

  python3 bench/marginal.py [--tasks 1000 10000 100000] [--iterations 10000] [--runs 3]

For each plan size (a PERT network from ../shared/bench/gen_network.py) and for 1 and 2 threads,
times whole `p80 simulate -q` runs at n and 2n iterations (median of --runs, alternating) and
prints tasks × n / (t(2n) − t(n)). Needs `cargo build --release`.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from machine import describe

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "bench")


def timed(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--iterations", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    p80 = os.path.join(ROOT, "target", "release", "p80")
    if not os.path.exists(p80):
        sys.exit("build first: cargo build --release")
    print(describe())
    n = args.iterations
    print(f"| tasks | threads | t({n}) s | t({2 * n}) s | marginal M task-samples/s |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for tasks in args.tasks:
            net = os.path.join(tmp, f"net{tasks}.csv")
            with open(net, "w") as f:
                subprocess.run([sys.executable, os.path.join(SHARED, "gen_network.py"), str(tasks)],
                               check=True, stdout=f)
            for threads in (1, 2):
                cmd = lambda k: [p80, "simulate", net, "-n", str(k), "--threads", str(threads),
                                 "--out", os.path.join(tmp, "out"), "-q"]
                timed(cmd(n))  # warm the page cache
                one, two = [], []
                for _ in range(args.runs):
                    one.append(timed(cmd(n)))
                    two.append(timed(cmd(2 * n)))
                a, b = statistics.median(one), statistics.median(two)
                marginal = tasks * n / (b - a) / 1e6 if b > a else float("nan")
                print(f"| {tasks:,} | {threads} | {a:.3f} | {b:.3f} | {marginal:.0f} |")


if __name__ == "__main__":
    main()
