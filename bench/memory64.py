"""What memory64's explicit bounds checks cost: the same loops over a 32-bit and a 64-bit
linear memory, retired RISC-V instructions counted exactly (`osbuild run --stats=exact`,
QEMU -icount shift=0), results checked against each other and the wasmtime package.

A 32-bit memory's loads and stores carry no check (its 8 GiB reservation turns any stray
access into a guard-page fault); a 64-bit memory's compare the address against the current
size first (docs/ARCHITECTURE.md, "Linear memory"). The kernels:

  scan     sequential read-modify-write over 1 MiB, 10 rounds (3 accesses per element)
  scatter  accesses at pseudo-random addresses (an LCG) over 1 MiB (2 accesses per step)

The figure per access is (instructions of wasm64 - of wasm32) / accesses.
Run: .venv/bin/python bench/memory64.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import wasmtime

ROOT = Path(__file__).resolve().parent.parent

# {a}: the address type (i32 or i64); {ext}: turn an i32 value into an address.
KERNELS = {
    "scan": (10 * (1048000 // 4) * 3, """(module (memory {a} 16)
 (func (export "run") (result i32) (local $i {a}) (local $r i32) (local $s i32)
  (local.set $s (i32.const 1))
  (loop $rounds
   (local.set $i ({a}.const 0))
   (loop $l
    (i32.store (local.get $i) (i32.add (local.get $s) (i32.load offset=4 (local.get $i))))
    (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 3)) (i32.load (local.get $i))))
    (local.set $i ({a}.add (local.get $i) ({a}.const 4)))
    (br_if $l ({a}.lt_u (local.get $i) ({a}.const 1048000))))
   (local.set $r (i32.add (local.get $r) (i32.const 1)))
   (br_if $rounds (i32.lt_u (local.get $r) (i32.const 10))))
  (local.get $s)))"""),
    "scatter": (500000 * 2, """(module (memory {a} 16)
 (func (export "run") (result i32) (local $x i32) (local $n i32) (local $p {a})
  (local.set $x (i32.const 12345))
  (loop $l
   (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
   (local.set $p {ext})
   (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (local.get $x)))
   (local.set $n (i32.add (local.get $n) (i32.const 1)))
   (br_if $l (i32.lt_u (local.get $n) (i32.const 500000))))
  (i32.load (i32.const 0) {zero})))"""),
}
EXT = {"i32": "(i32.and (local.get $x) (i32.const 0xFFFFC))",
       "i64": "(i64.extend_i32_u (i32.and (local.get $x) (i32.const 0xFFFFC)))"}
STATS = re.compile(r"instructions: ([\d,]+)")


def source(kernel: str, a: str) -> str:
    text = KERNELS[kernel][1].format(a=a, ext=EXT[a], zero="")
    return text.replace("(i32.load (i32.const 0) )", f"(i32.load ({a}.const 0))")


def osbuild(path: Path) -> tuple[int, str]:
    """Instructions retired and the printed result of `run`."""
    r = subprocess.run([sys.executable, "-m", "osbuild.host.cli", "run", "--opt",
                        "--stats=exact", "--invoke", "run", str(path)],
                       capture_output=True, text=True, check=True)
    m = STATS.search(r.stderr)
    assert m, r.stderr
    return int(m[1].replace(",", "")), r.stdout.strip()


def wasmtime_result(path: Path) -> str:
    config = wasmtime.Config()
    config.wasm_memory64 = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(path)), [])
    run = instance.exports(store)["run"]
    assert isinstance(run, wasmtime.Func)
    return str(run(store))


def main() -> None:
    print(f"{'kernel':8} {'wasm32':>12} {'wasm64':>12} {'ratio':>6} {'per access':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for kernel, (accesses, _) in KERNELS.items():
            counts = {}
            results = set()
            for a in ("i32", "i64"):
                path = Path(tmp) / f"{kernel}_{a}.wat"
                path.write_text(source(kernel, a))
                counts[a], out = osbuild(path)
                want = wasmtime_result(path)
                assert out == want, f"{path.name}: osbuild {out}, wasmtime {want}"
                results.add(out)
            assert len(results) == 1, f"{kernel}: wasm32 and wasm64 disagree: {results}"
            extra = (counts["i64"] - counts["i32"]) / accesses
            print(f"{kernel:8} {counts['i32']:>12,} {counts['i64']:>12,} "
                  f"{counts['i64'] / counts['i32']:>6.2f} {extra:>10.1f}")


if __name__ == "__main__":
    main()
