"""Several programs at once (guest/proc.c): what a context switch costs, how fast a pipe
moves data, and how late a sleeping program wakes while others compute.

- switch: two programs that each call `sched_yield` N times (every call hands the hart to
  the other) against one program alone (no switch), exact instruction counts (QEMU -icount
  shift=0, `instret` lines around the script's `wait`); per switch:
  ((two at N - two at 0) - 2 (one at N - one at 0)) / 2N.
- pipe: examples/wasi/flood.wasm writing 64 MiB in 4 KiB writes into bench/os/drain.c reading
  64 KiB at a time; the rate is the reader's (its monotonic clock, first byte to end of file).
- latency: bench/os/latency.c sleeping 10 ms fifty times, alone and beside 1 and 3 CPU-bound
  programs (examples/wasi/spin.wasm): how late the wake-ups are.
- harts: four copies of bench/os/work.c (CPU-bound, no host calls in its loop) on 1, 2 and 4
  harts (QEMU -smp, multi-threaded TCG): the makespan from the first start to the last end
  on the guest's monotonic clock, and the speed-up over one hart. QEMU runs a hart per host
  thread, so the speed-up is bounded by the host's free cores.

Run: .venv/bin/python bench/processes.py [N]   (needs clang with wasi-libc for bench/os/*.c)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from osbuild.host import programs  # noqa: E402
from osbuild.host.answers import parse_answer  # noqa: E402
from osbuild.host.console import boot  # noqa: E402
from osbuild.host.protocol import Script  # noqa: E402
from osbuild.host.runstats import EXACT_ARGS  # noqa: E402

YIELDS = """(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const {n}))
  (func (export "_start") (local $i i32)
    (if (i32.eqz (global.get $n)) (then (return)))
    (loop $l
      (drop (call $yield))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (global.get $n))))))
"""


def run_image(image: Path, progs: list[programs.Program], exact: bool = False,
              measure: bool = False, harts: int = 1) -> tuple[list[int], bytes]:
    """Run ``progs``; the instret answers around `wait` (with ``measure``) and the stdout."""
    _, script = programs.script(progs, 0)
    if measure:
        script = Script().instret().extend(script).instret()
    counts: list[int] = []
    out: dict[int, bytearray] = {}
    sender = {"uart": 0, "port": 0}

    def on_frame(channel: str, payload: bytes) -> None:
        if channel == "@":
            sender["uart"] = int(payload)
        elif channel == ">":
            sender["port"] = int(payload)
        elif channel == "R" and sender["uart"] == 0:
            counts.append(parse_answer("R", payload).values[0].bits)

    def stdout(data: bytes) -> None:
        out.setdefault(sender["port"], bytearray()).extend(data)

    status, _ = boot(image, script, on_frame, timeout=600, stdout=stdout,
                     extra_args=EXACT_ARGS if exact else [], harts=harts)
    text = b"".join(bytes(out[pid]) for pid in sorted(out))  # each program's output whole
    if status != 0:
        raise SystemExit(f"the programs failed (status {status}): {text!r}")
    return counts, text


def build(files: list[Path], out: Path) -> Path:
    progs = [programs.Program(name=f.stem, module=i) for i, f in enumerate(files)]
    return programs.build_programs(progs, files, out)


def switch_cost(n: int, tmp: Path) -> float:
    totals = {}
    for trips in (0, n):
        wat = tmp / f"yields{trips}.wat"
        wat.write_text(YIELDS.format(n=trips))
        image = build([wat], tmp / f"yields{trips}.elf")
        for copies in (1, 2):
            progs = [programs.Program(name=f"y{i}", module=0) for i in range(copies)]
            (before, after), _ = run_image(image, progs, exact=True, measure=True)
            totals[trips, copies] = after - before
    one = totals[n, 1] - totals[0, 1]
    two = totals[n, 2] - totals[0, 2]
    print(f"sched_yield alone: {one / n:.0f} instructions per call")
    return (two - 2 * one) / (2 * n)


def clang(src: Path, out: Path) -> Path:
    subprocess.run(["clang", "--target=wasm32-wasi", "-O2", str(src), "-o", str(out)], check=True)
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    wasi = ROOT / "examples" / "wasi"
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        print(f"context switch: {switch_cost(n, tmp):.0f} instructions "
              f"(sched_yield ping-pong, {n} calls each, exact)")

        drain = clang(ROOT / "bench" / "os" / "drain.c", tmp / "drain.wasm")
        image = build([wasi / "flood.wasm", drain], tmp / "pipe.elf")
        progs = [programs.Program(name="flood", module=0, stdout="drain"),
                 programs.Program(name="drain", module=1)]
        _, out = run_image(image, progs)
        print(f"pipe: {out.decode().strip()}")

        latency = clang(ROOT / "bench" / "os" / "latency.c", tmp / "latency.wasm")
        image = build([latency, wasi / "spin.wasm"], tmp / "latency.elf")
        print(f"{'CPU-bound programs beside':<28} sleep 10 ms x 50")
        for spinners in (0, 1, 3):
            progs = [programs.Program(name="latency", module=0)]
            progs += [programs.Program(name=f"spin{i}", module=1, args=["1500"])
                      for i in range(spinners)]
            _, out = run_image(image, progs)
            line = next(ln for ln in out.decode().splitlines() if ln.startswith("wake-up"))
            print(f"{spinners:<28} {line}")
        work = clang(ROOT / "bench" / "os" / "work.c", tmp / "work.wasm")
        image = build([work], tmp / "work.elf")
        progs = [programs.Program(name=f"w{i}", module=0) for i in range(4)]
        print(f"{'harts':<6}{'makespan s':>11}{'speed-up':>10}   (4 x 200 M steps; host cores: "
              f"{os.cpu_count()})")
        base = None
        for harts in (1, 2, 4):
            _, out = run_image(image, progs, harts=harts)
            spans = [tuple(map(int, line.split())) for line in out.decode().splitlines()
                     if line.strip()]
            seconds = (max(e for _, e in spans) - min(s for s, _ in spans)) / 1e6
            base = base or seconds
            print(f"{harts:<6}{seconds:>11.2f}{base / seconds:>9.2f}x")


if __name__ == "__main__":
    main()
