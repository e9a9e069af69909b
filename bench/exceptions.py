"""Retired instructions of exception handling, from `osbuild run --opt --stats=exact`: a throw
caught 10 frames up, a try_table entered and left without a throw, and (for scale) the 10
calls themselves.

The program is a loop of N iterations whose trip count sits in a mutable global (so LLVM can
not unroll it) and which stores its counter to memory (so LLVM can not delete it when the
body is empty: bench/hostcall.py); its body is one of:
  calls    call $down 10                     10 nested calls that return normally
  try      try_table (catch_all) call $down  the same inside a try_table that nothing throws to
  throw    try_table (catch $e) call $throw  10 nested calls, the innermost throws, caught here
  empty    nothing                           the loop itself (store, counter, branch)
Counts are exact (QEMU -icount shift=0, the kernel's rdinstret around `_start`); per
iteration: ((body at N) - (body at 0) - ((empty at N) - (empty at 0))) / N.

Run: .venv/bin/python bench/exceptions.py [N]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hostcall import loop_costs  # noqa: E402 - the bench folder's shared runner

WAT = """(module
  (memory (export "memory") 1)
  (tag $e (param i32))
  (global $n (mut i32) (i32.const {n}))
  (func $down (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (call $down (i32.sub (local.get 0) (i32.const 1))))))
  (func $throw (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (throw $e (i32.const 7)))
      (else (call $throw (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "_start") (local $i i32) (local $sum i32)
    (if (i32.eqz (global.get $n)) (then (return)))
    (loop $l
      {body}
      (i32.store (i32.const 0) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (global.get $n))))))
"""
BODIES = {
    "calls": "(local.set $sum (call $down (i32.const 9)))",
    "try": "(block $h (try_table (catch_all $h) (local.set $sum (call $down (i32.const 9)))))",
    "throw": "(local.set $sum (block $h (result i32) (try_table (result i32) (catch $e $h) "
             "(call $throw (i32.const 9)))))",
    "empty": "",
}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cost = loop_costs(WAT, BODIES, n)
    per = {b: (cost[b] - cost["empty"]) / n for b in BODIES}
    print(f"instructions per iteration (exact, {n:,} iterations, loop cost subtracted)")
    print(f"  {'10 nested calls':<44}{per['calls']:8.1f}")
    print(f"  {'the same inside a try_table (no throw)':<44}{per['try']:8.1f}")
    print(f"  {'throw from the 10th frame, caught':<44}{per['throw']:8.1f}")
    print(f"  {'=> a try_table entered and left':<44}{per['try'] - per['calls']:8.1f}")
    print(f"  {'=> a throw and its catch, 10 frames up':<44}{per['throw'] - per['calls']:8.1f}")


if __name__ == "__main__":
    main()
