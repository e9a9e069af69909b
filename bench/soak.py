"""Soak: many create-call-drop cycles, to show that nothing accumulates.

- ``--instances N``: in one Store (one guest), N cycles of: a fresh store (address space),
  instantiate fib, call fib(15), drop the store; the guest's free pages (`meminfo`) after each
  drop must stay flat. Instance ids are never reused within a guest session, but nothing per
  id outlives its store (guest/main.c), so N is unbounded.
- ``--stores N``: N cycles of a whole `Store` (a QEMU machine) created, called and closed
  through the Python API.
- ``--runs N``: N `osbuild run`s of a cached image in a row.

For each it prints the figures at a few checkpoints: this process's RSS and open descriptors,
live child processes, entries left in a private TMPDIR, the guest's free pages, and seconds.
Run it niced: `nice -n 10 python bench/soak.py --instances 10000 --stores 300 --runs 1000`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OSBUILD = str(Path(sys.executable).parent / "osbuild")


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children() -> int:
    """Live descendants of this process (QEMU that outlived its Store would show here)."""
    me, count = str(os.getpid()), 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[1] == me and fields[0] != "Z":
            count += 1
    return count


def report(kind: str, i: int, t0: float, tmp: Path, extra: str = "") -> None:
    print(f"{kind:<10} {i:>6} {time.monotonic() - t0:>8.1f}s rss {rss_kib():>7} KiB "
          f"fds {len(os.listdir('/proc/self/fd')):>3} children {children()} "
          f"tmp {len(list(tmp.iterdir()))} {extra}", flush=True)


def checkpoints(n: int) -> set[int]:
    return {1, n} | {n * k // 10 for k in range(1, 10)}


def soak_instances(image: Path, n: int, tmp: Path) -> None:
    from osbuild.host.api import Store
    from osbuild.host.protocol import Script

    t0 = time.monotonic()
    with Store(image) as store:
        first = None
        for i in range(1, n + 1):
            store.command(Script().store(1).instantiate(0))
            (value,) = store.command(Script().invoke(i - 1, "fib", [15]))
            assert value.python == 610
            (free,) = store.command(Script().store(0).drop_store(1).meminfo())
            first = first if first is not None else free.python
            if i in checkpoints(n):
                report("instances", i, t0, tmp, f"guest free pages {free.python} "
                       f"(first {first})")
    report("instances", n, t0, tmp, "after the Store closed")


def soak_stores(image: Path, n: int, tmp: Path) -> None:
    from osbuild.host.api import Store

    t0 = time.monotonic()
    for i in range(1, n + 1):
        with Store(image) as store:
            assert store.instantiate(0).exports["fib"](15) == 610
        if i in checkpoints(n):
            report("stores", i, t0, tmp)


def soak_runs(image: Path, n: int, tmp: Path) -> None:
    t0 = time.monotonic()
    peak = 0
    for i in range(1, n + 1):
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", OSBUILD, "run", "--invoke", "fib",
                               str(image), "15"], capture_output=True, text=True, check=False)
        assert proc.returncode == 0 and proc.stdout == "610\n", proc.stderr
        peak = max(peak, int(proc.stderr.split()[-1]))
        if i in checkpoints(n):
            report("runs", i, t0, tmp, f"peak RSS of one run {peak} KiB")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--instances", type=int, default=10000)
    p.add_argument("--stores", type=int, default=200)
    p.add_argument("--runs", type=int, default=1000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="osbuild-soak-") as d:
        tmp = Path(d) / "tmp"
        tmp.mkdir()
        os.environ["TMPDIR"] = str(tmp)
        tempfile.tempdir = None  # read TMPDIR again
        image = Path(d) / "fib.elf"
        subprocess.run([OSBUILD, "image", str(ROOT / "examples" / "fib.wat"), "-o", str(image)],
                       check=True, capture_output=True)
        if args.instances:
            soak_instances(image, args.instances, tmp)
        if args.stores:
            soak_stores(image, args.stores, tmp)
        if args.runs:
            soak_runs(image, args.runs, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
