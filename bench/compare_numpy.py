#!/usr/bin/env python3
"""Side-by-side benchmark of p80 against ../shared/bench/numpy_baseline.py.

  python3 bench/compare_numpy.py [--tasks 10000] [--iterations 10000] [--runs 5]

Generates a PERT network with ../shared/bench/gen_network.py, then alternates whole-process
runs of `target/release/p80 simulate` (outputs included) and the numpy baseline on the same
file, and reports the median wall times and the median of the per-pair ratios. Alternating
pairs makes the ratio robust to a noisy machine. Needs `cargo build --release` and numpy
(`python3 -m pip install numpy`). OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are unset for numpy's
runs only (they slow a current numpy; see the workplace notes).
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


def timed(cmd, env=None):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t0


def peak_rss_kb(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(out.stderr.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--iterations", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    p80 = os.path.join(ROOT, "target", "release", "p80")
    if not os.path.exists(p80):
        sys.exit("build first: cargo build --release")
    with tempfile.TemporaryDirectory() as tmp:
        net = os.path.join(tmp, "tasks.csv")
        with open(net, "w") as f:
            subprocess.run([sys.executable, os.path.join(SHARED, "gen_network.py"), str(args.tasks)],
                           check=True, stdout=f)
        p80_cmd = [p80, "simulate", net, "-n", str(args.iterations), "--out", os.path.join(tmp, "out"), "-q"]
        np_cmd = [sys.executable, os.path.join(SHARED, "numpy_baseline.py"), net,
                  "--iterations", str(args.iterations)]
        np_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
        timed(p80_cmd)  # warm the page cache
        p80_t, np_t, ratios = [], [], []
        for _ in range(args.runs):
            a = timed(p80_cmd)
            b = timed(np_cmd, np_env)
            p80_t.append(a)
            np_t.append(b)
            ratios.append(b / a)
        samples = args.tasks * args.iterations
        print(describe())
        print(f"network: {args.tasks} tasks (PERT), {args.iterations} iterations, {args.runs} alternating pairs")
        print(f"p80   median {statistics.median(p80_t):.3f} s  ({samples / statistics.median(p80_t) / 1e6:.0f} M task-samples/s, whole process)")
        print(f"numpy median {statistics.median(np_t):.3f} s  ({samples / statistics.median(np_t) / 1e6:.0f} M task-samples/s, whole process)")
        print(f"ratio (numpy / p80), median of pairs: {statistics.median(ratios):.1f}x  (min {min(ratios):.1f}x, max {max(ratios):.1f}x)")
        print(f"peak RSS: p80 {peak_rss_kb(p80_cmd) / 1024:.0f} MB, numpy {peak_rss_kb(np_cmd) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
