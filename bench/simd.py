"""SIMD against scalar: retired RISC-V instructions of SIMD-friendly C programs, each build's
output checked against the others and wasmtime's:
  bench/simd/filters.c   a 3x3 box blur of an 8-bit image, saxpy, a float dot product and a
                         saturating 16-bit brighten, left to the vectorisers
  bench/simd/hexenc.c    hex encoding, a 16-entry table lookup: i8x16.swizzle (written with
                         wasm_simd128.h in the SIMD build), which jit/simd.py lowers to vrgather

  wasm -msimd128   clang --target=wasm32-wasi -O2 -msimd128 (clang's vectoriser emits v128
                   code), run by `osbuild run --opt --stats=exact`: jit/simd.py lowers it to RVV
  wasm scalar      the same without -msimd128
  native rv64gc    clang -O2 for rv64gc, bare metal (bench/native_ratio.py's harness)
  native rv64gcv   the same with V: clang's auto-vectoriser emits RVV directly (clang 14
                   vectorises for fixed 128-bit vectors only with -riscv-v-vector-bits-min)

All under QEMU -icount shift=0, so the counts are exact and the same on every run.

Run: .venv/bin/python bench/simd.py [-k NAME]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from native_ratio import (  # noqa: E402 - the bench folder is not a package
    OUT,
    build_native,
    run_native,
    run_osbuild,
    sh,
    wasmtime_wall,
)

SOURCES = sorted((Path(__file__).resolve().parent / "simd").glob("*.c"))


def build_wasm(source: Path, simd: bool) -> Path:
    out = OUT / f"{source.stem}{'-simd' if simd else ''}.wasm"
    sh(["clang", "--target=wasm32-wasi", "-O2", *(["-msimd128"] if simd else []), str(source),
        "-o", str(out)])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", default="", help="only programs whose name contains this")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for source in SOURCES:
        if args.k in source.stem:
            measure(source)


def measure(source: Path) -> None:
    counts: dict[str, int] = {}
    outputs: dict[str, str] = {}
    for simd in (True, False):
        wasm = build_wasm(source, simd)
        name = "wasm -msimd128" if simd else "wasm scalar"
        outputs[name], counts[name] = run_osbuild(wasm)
        outputs[f"wasmtime ({name})"] = wasmtime_wall(wasm, repeat=1)[0]
    vector = ["-mllvm", "-riscv-v-vector-bits-min=128"]
    for march, cpu, extra in (("rv64gc", "rv64", []),
                              ("rv64gcv", "rv64,v=true,vlen=128", vector)):
        name = f"native {march}"
        outputs[name], counts[name] = run_native(build_native(source, march, extra), cpu)
    if len(set(outputs.values())) != 1:
        raise SystemExit(f"{source.name}: outputs differ: {outputs}")
    base = counts["wasm -msimd128"]
    print(f"\n{source.name}")
    print(f"{'build':<18}{'instructions':>16}{'vs wasm -msimd128':>20}")
    for name, n in counts.items():
        print(f"{name:<18}{n:>16,}{n / base:>20.2f}")
    print(f"output: {outputs['wasm -msimd128'].strip()}")


if __name__ == "__main__":
    main()
