"""The machine a benchmark ran on, from lscpu and sysfs: one line for every table that quotes it."""
import os
import subprocess


def _sysfs_cache(index):
    try:
        with open(f"/sys/devices/system/cpu/cpu0/cache/index{index}/size") as f:
            return f.read().strip()
    except OSError:
        return "?"


def describe():
    model = "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    # index0/1: L1d/L1i, index2: L2 (per core), index3: L3 (shared)
    return (f"machine: {model}, {os.cpu_count()} cores, L1d {_sysfs_cache(0)}, "
            f"L2 {_sysfs_cache(2)} per core, L3 {_sysfs_cache(3)}")
