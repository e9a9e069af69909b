"""Boot latency of `osbuild run` on a cached image: where the time goes before the guest's
first instruction and until QEMU exits.

Phases, per run (median and min over N runs, printed as a table):
  host start-up   `osbuild run` process start → the QEMU process is spawned (Python imports,
                  image lookup, script)
  qemu + qmp      QEMU spawn → QMP connection accepted (QEMU initializes the machine)
  firmware        `cont` → first kernel instruction, from the guest's own clock: the time CSR
                  (10 MHz, 0 at machine reset) read by the kernel's first instruction
  to first insn   process start → first kernel instruction (the headline figure)
  total           process start → `osbuild run` exits

Then the headline of issue 14: the whole `osbuild run examples/hello.wat` (cached image),
process start to exit, min/median/max over N repetitions (20 by default), as a user sees it.

Run: .venv/bin/python bench/boot_latency.py [N] [--whole-only]
"""

from __future__ import annotations

import os
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
orig_cont = machine.Machine.cont
def launch(self):
    marks["spawn"] = time.time()
    orig_launch(self)
    marks["qmp"] = time.time()
def cont(self):
    marks["cont"] = time.time()
    orig_cont(self)
machine.Machine.launch = launch
machine.Machine.cont = cont
first = {}
orig_boot = console.boot
def boot(image, script, on_frame, **kw):
    def frames(ch, payload):
        if ch == "S" and "first" not in first:
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
ticks = first["ticks"] / 1e7
print(marks["spawn"] - t0, marks["qmp"] - marks["spawn"], ticks,
      marks["cont"] + 0 - t0, end - t0, rc)
"""


def one(args: list[str]) -> list[float]:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", PROBE, repr(t0), *args], capture_output=True,
                         text=True, check=True).stdout.split()
    spawn, qmp, firmware, cont, total, rc = map(float, out)
    # First instruction ≈ cont + time from reset to kernel entry (reset happens at `cont`
    # for a machine started with -S, as far as the guest clock is concerned).
    return [spawn, qmp, firmware, cont + firmware, total]


def whole_run(n: int, env: dict[str, str]) -> list[float]:
    """Wall seconds of `osbuild run hello.wat` (cached image), process start to exit."""
    cmd = [sys.executable, "-m", "osbuild.host.cli", "run", str(ROOT / "examples" / "hello.wat")]
    subprocess.run(cmd, check=True, capture_output=True, env=env)  # warm the caches
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    argv = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(argv[0]) if argv else 20
    # Python's bytecode cache matters as much as anything here: with PYTHONDONTWRITEBYTECODE
    # set (as in some sandboxes) every run compiles osbuild's modules again. Both are shown;
    # the second writes its .pyc files under build/pycache, not into the source tree.
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(ROOT / "build" / "pycache")
    print(f"osbuild run examples/hello.wat, cached image, process start to exit, {n} runs:")
    for label, env in (("environment as is", dict(os.environ)), ("with .pyc cache", cached)):
        whole = [t * 1000 for t in whole_run(n, env)]
        print(f"  {label:<20} min {min(whole):6.1f} ms  median {statistics.median(whole):6.1f} ms"
              f"  max {max(whole):6.1f} ms")
    if "--whole-only" in sys.argv:
        return
    args = ["run", "--invoke", "fib", str(ROOT / "examples" / "fib.wat"), "20"]
    subprocess.run([sys.executable, "-m", "osbuild.host.cli", *args], check=True,
                   capture_output=True)  # warm the image cache
    rows = [one(args) for _ in range(n)]
    names = ["host start-up", "qemu + qmp", "firmware (guest clock)", "to first insn", "total"]
    print(f"osbuild run --invoke fib fib.wat 20, cached image, {n} runs")
    print(f"{'phase':<24}{'median ms':>12}{'min ms':>10}")
    for i, name in enumerate(names):
        col = [r[i] * 1000 for r in rows]
        print(f"{name:<24}{statistics.median(col):>12.1f}{min(col):>10.1f}")


if __name__ == "__main__":
    main()
