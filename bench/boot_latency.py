"""Boot latency of `osbuild run` on a cached image: where the time goes before the guest's
first instruction and until the command exits.

First the headline of issue 14: the whole `osbuild run examples/hello.wat` (cached image),
process start to exit, as a user sees it, N times (20 by default): min/median/max wall time,
the median CPU time per run (the command and QEMU, user + system: less noisy than wall time
on a shared machine) and the load average. Twice: with the environment as it is (whether
osbuild's .pyc files are there and fresh is printed: scripts/setup.sh compiles them) and with
Python's bytecode cache forced on (PYTHONDONTWRITEBYTECODE unset, the cache under
build/pycache).

Then the phases, per run (median and min over N runs of `--invoke fib fib.wat 20`):
  host start-up   `osbuild run` process start → QEMU spawned (Python, imports, image lookup,
                  script, command line)
  spawn           Popen of QEMU (fork, exec)
  qemu start      QEMU exec → the guest's clock starts (QEMU loads its libraries and builds the
                  machine): the first kernel instruction's wall time minus the firmware's
  firmware        machine start → first kernel instruction, from the guest's own clock: the
                  time CSR (10 MHz, 0 at machine start) read by the kernel's first instruction
  kernel + exit   first kernel instruction → `osbuild run` returns (boot, program, power-off,
                  QEMU's exit)
  total           process start → `osbuild run` returns

Run: .venv/bin/python bench/boot_latency.py [N] [--whole-only]
"""

from __future__ import annotations

import importlib.util
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROBE = r"""
import sys, time
t0 = float(sys.argv[1])
from osbuild.host import console, machine
marks = {}
orig_launch = machine.Machine.launch
def launch(self):
    marks["spawn"] = time.time()
    orig_launch(self)
    marks["spawned"] = time.time()
machine.Machine.launch = launch
first = {}
orig_boot = console.boot
def boot(image, script, on_frame, **kw):
    def frames(ch, payload):
        if ch == "S" and "ticks" not in first:
            first["wall"] = time.time()
            first["ticks"] = int(payload.split()[1], 16)
        on_frame(ch, payload)
    return orig_boot(image, script, frames, **kw)
console.boot = boot
import osbuild.host.runner as runner
runner.boot = boot
from osbuild.host.cli import main
import io, contextlib
with contextlib.redirect_stdout(io.StringIO()):
    rc = main(sys.argv[2:])
end = time.time()
firmware = first["ticks"] / 1e7
print(marks["spawn"] - t0, marks["spawned"] - marks["spawn"],
      first["wall"] - firmware - marks["spawned"], firmware, end - first["wall"], end - t0, rc)
"""


def one(args: list[str]) -> list[float]:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", PROBE, repr(t0), *args], capture_output=True,
                         text=True, check=True).stdout.split()
    *phases, _rc = map(float, out)
    return phases


def cpu_seconds() -> float:
    """User + system time of this process's waited-for children so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def whole_run(n: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each `osbuild run hello.wat` (cached image), process start to
    exit."""
    cmd = [sys.executable, "-m", "osbuild.host.cli", "run", str(ROOT / "examples" / "hello.wat")]
    subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm the caches
    walls, cpus = [], []
    for _ in range(n):
        c0, t0 = cpu_seconds(), time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
    return walls, cpus


def bytecode_state() -> str:
    """Whether the CLI's modules have fresh .pyc files where Python looks for them."""
    stale = []
    for name in ("cli", "runner", "console", "machine", "protocol", "image", "pipeline"):
        source = ROOT / "host" / f"{name}.py"
        cached = Path(importlib.util.cache_from_source(str(source)))
        if not cached.exists() or cached.stat().st_mtime < source.stat().st_mtime:
            stale.append(name)
    return "osbuild .pyc fresh" if not stale else f"no fresh .pyc for {', '.join(stale)}"


def main() -> None:
    argv = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(argv[0]) if argv else 20
    # Python's bytecode cache matters as much as anything here: with PYTHONDONTWRITEBYTECODE
    # set (as in some sandboxes) and no .pyc files, every run compiles osbuild's modules
    # again. Both are shown; the second writes its .pyc files under build/pycache, not into
    # the source tree.
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(ROOT / "build" / "pycache")
    print(f"osbuild run examples/hello.wat, cached image, process start to exit, {n} runs:")
    as_is = f"as is ({bytecode_state()})"
    for label, env in ((as_is, dict(os.environ)), ("with .pyc cache", cached)):
        load = os.getloadavg()[0]
        walls, cpus = whole_run(n, env)
        whole = [t * 1000 for t in walls]
        print(f"  {label}:\n    wall min {min(whole):6.1f} ms  median "
              f"{statistics.median(whole):6.1f} ms  max {max(whole):6.1f} ms   CPU median "
              f"{statistics.median(cpus) * 1000:6.1f} ms   load average "
              f"{load:.2f} → {os.getloadavg()[0]:.2f}")
    if "--whole-only" in sys.argv:
        return
    args = ["run", "--invoke", "fib", str(ROOT / "examples" / "fib.wat"), "20"]
    subprocess.run([sys.executable, "-m", "osbuild.host.cli", *args], check=True,
                   capture_output=True)  # warm the image cache
    rows = [one(args) for _ in range(n)]
    names = ["host start-up", "spawn", "qemu start", "firmware (guest clock)", "kernel + exit",
             "total"]
    print(f"osbuild run --invoke fib fib.wat 20, cached image, {n} runs "
          f"(load average {os.getloadavg()[0]:.2f})")
    print(f"{'phase':<24}{'median ms':>12}{'min ms':>10}")
    for i, name in enumerate(names):
        col = [r[i] * 1000 for r in rows]
        print(f"{name:<24}{statistics.median(col):>12.1f}{min(col):>10.1f}")


if __name__ == "__main__":
    main()
