"""Retired instructions of one host call round trip (WASI `sched_yield`, which does no work),
next to a wasm→wasm call, from `osbuild run --opt --stats=exact`.

The program is a loop of N iterations whose trip count sits in a mutable global (so LLVM can
not unroll it) and which stores its counter to memory each iteration (so LLVM can not delete
it when the body is empty); its body is one of:
  host   call $sched_yield, drop     the import thunk, the ecall, the kernel and back
  wasm   call $nop, drop             a wasm function returning 0 with its own frame: it has a
                                     trap site (`unreachable` under a false condition), so it
                                     is not a frameless leaf and the opt tier does not inline it
  empty  nothing                     the loop itself (store, counter, branch)
Counts are exact (QEMU -icount shift=0, the kernel's rdinstret around `_start`). Per call:
((body at N) - (body at 0) - ((empty at N) - (empty at 0))) / N, so the loop and every fixed
cost cancel out. (Until 2026-11 the loop had no store and $nop no trap site: LLVM deleted the
empty loop and the opt tier inlined $nop, so both rows read 0.0 and the host call's figure
included the loop's own instructions.)

Run: .venv/bin/python bench/hostcall.py [N]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

OSBUILD = [sys.executable, "-m", "osbuild.host.cli"]

WAT = """(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const {n}))
  (func $nop (param $trap i32) (result i32)
    (if (local.get $trap) (then unreachable))
    (i32.const 0))
  (func (export "_start") (local $i i32)
    (if (i32.eqz (global.get $n)) (then (return)))
    (loop $l
      {body}
      (i32.store (i32.const 0) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (global.get $n))))))
"""
BODIES = {"host": "(drop (call $yield))", "wasm": "(drop (call $nop (i32.const 0)))",
          "empty": ""}


def exact_instructions(path: Path) -> int:
    """The exact instruction count of one `osbuild run --opt --stats=exact` of a program."""
    p = subprocess.run([*OSBUILD, "run", "--opt", "--stats=exact", str(path)],
                       capture_output=True, text=True, check=True)
    m = re.search(r"stats: instructions: ([\d,]+)", p.stderr)
    if not m:
        raise SystemExit(f"no instruction count in: {p.stderr}")
    return int(m[1].replace(",", ""))


def loop_costs(wat: str, bodies: dict[str, str], n: int) -> dict[str, int]:
    """Per body, the exact instructions of the loop program (`wat` with `{n}` and `{body}`)
    at n iterations minus those at 0, so that every fixed cost cancels (bench/exceptions.py
    runs its loops through this too)."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)

        def run(body: str, iterations: int) -> int:
            path = tmp / f"loop_{body}_{iterations}.wat"
            path.write_text(wat.format(n=iterations, body=bodies[body]))
            return exact_instructions(path)

        return {b: run(b, n) - run(b, 0) for b in bodies}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cost = loop_costs(WAT, BODIES, n)
    print(f"instructions per call (exact, {n:,} calls, loop cost subtracted)")
    for body, label in (("host", "host call (WASI sched_yield)"),
                        ("wasm", "wasm -> wasm call")):
        print(f"  {label:<32}{(cost[body] - cost['empty']) / n:8.1f}")
    print(f"  {'loop iteration itself':<32}{cost['empty'] / n:8.1f}")


if __name__ == "__main__":
    main()
