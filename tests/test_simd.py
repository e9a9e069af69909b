"""SIMD (jit/simd.py): compiled v128 code is RVV code, the kernel stays free of vector
instructions, and v128 values cross the invoke path (slot pairs, R frames, the Python API,
`osbuild run --invoke`) intact. The spec files are test_spec.py's."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from difftest import TIERS, Call, Case, check

from osbuild.host.api import Store
from osbuild.host.pipeline import build_files

SIMD = """(module (memory 1)
  (global $g (export "g") (mut v128) (v128.const i64x2 0 0))
  (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "reverse") (param v128) (result v128)
    (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get 0) (local.get 0)))
  (func (export "keep") (param v128 i32 v128) (result i32 v128)
    (global.set $g (local.get 2)) (local.get 1) (local.get 0))
  (func (export "kept") (result v128) (global.get $g))
  (func (export "dot") (param i32 i32) (result v128)
    (i32x4.dot_i16x8_s (v128.load (local.get 0)) (v128.load (local.get 1))))
  (func (export "swizzle") (param v128 v128) (result v128)
    (i8x16.swizzle (local.get 0) (local.get 1)))
  (func (export "relaxed_swizzle") (param v128 v128) (result v128)
    (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))
"""


def lanes(v: int, bits: int) -> list[int]:
    return [v >> (i * bits) & ((1 << bits) - 1) for i in range(128 // bits)]


def join(xs: list[int], bits: int) -> int:
    return sum((x & ((1 << bits) - 1)) << (i * bits) for i, x in enumerate(xs))


def test_v128_code_is_rvv_code(tmp_path: Path) -> None:
    from osbuild.jit.compiler import compile_module
    from osbuild.jit.wasmtools import wat_to_wasm

    obj = compile_module(wat_to_wasm(SIMD.encode()), "m", tier="opt").object_path
    text = subprocess.run(["llvm-objdump", "-d", "--mattr=+v,+zba,+zbb", str(obj)],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"\bvadd\.vv\b", text), text  # i32x4.add
    assert re.search(r"\bvrgather\.vv\b|\bvrev|\bvslide", text)  # the shuffle
    assert re.search(r"\bvwmul\.vv\b", text)  # the dot product's widening multiply


def test_swizzle_is_one_vrgather() -> None:
    """i8x16.swizzle and relaxed_swizzle: a masked vrgather.vv, not 16 lane extracts."""
    from osbuild.jit.compiler import compile_module
    from osbuild.jit.wasmtools import wat_to_wasm

    for tier in ("fast", "opt"):
        obj = compile_module(wat_to_wasm(SIMD.encode()), "m", tier=tier).object_path
        text = subprocess.run(["llvm-objdump", "-d", "--mattr=+v,+zba,+zbb", str(obj)],
                              capture_output=True, text=True, check=True).stdout
        bodies = re.split(r"\n(?=[0-9a-f]+ <)", text)
        swizzles = [b for b in bodies if re.match(r"[0-9a-f]+ <\w+_f[56]>", b)]
        assert len(swizzles) == 2, text
        for body in swizzles:
            assert len(re.findall(r"\bvrgather\.vv\b", body)) == 1, body
            assert not re.search(r"\bvmv\.x\.s\b|\bvslidedown|\blbu\b|\bsb\b", body), body


def test_the_kernel_has_no_vector_instructions(tmp_path: Path) -> None:
    """The kernel does not use the vector registers (ARCHITECTURE, "SIMD"): its objects are
    built for rv64gc without V. The one exception is fpstate.S, which saves and restores a
    program's vector registers when another program gets the hart: its whole-register loads
    and stores and the vsetvl that puts vl and vtype back, and nothing else."""
    from osbuild.boot.kernel import kernel_objects

    for obj in kernel_objects():
        text = subprocess.run(["llvm-objdump", "-d", "--mattr=+v", str(obj)],
                              capture_output=True, text=True, check=True).stdout
        mnemonics = [line.split("\t")[1] for line in text.splitlines() if line.count("\t") >= 1
                     and re.match(r"\s*[0-9a-f]+:", line)]
        found = [m for m in mnemonics if re.match(r"v[a-z0-9.]+$", m)]
        if obj.name.startswith("fpstate"):  # vl8r.v is objdump's name of vl8re8.v
            assert sorted(set(found)) == ["vl8r.v", "vs8r.v", "vsetvl"], found
        else:
            assert not found, obj


@pytest.mark.qemu
def test_v128_values_through_the_api(tmp_path: Path) -> None:
    (tmp_path / "m.wat").write_text(SIMD)
    image = build_files([tmp_path / "m.wat"], tmp_path / "m.elf")
    rng = random.Random(15)
    with Store(image) as store:
        inst = store.instantiate(0)
        ex = inst.exports
        assert inst.global_value("g") == 0
        for _ in range(20):
            a, b = rng.getrandbits(128), rng.getrandbits(128)
            want = join([x + y for x, y in zip(lanes(a, 32), lanes(b, 32), strict=True)], 32)
            assert ex["add"](a, b) == want
            assert ex["reverse"](a) == int.from_bytes(a.to_bytes(16, "little"), "big")
            assert ex["keep"](a, 7, b) == (7, a)
            assert ex["kept"]() == b
            assert inst.global_value("g") == b
        assert ex["reverse"](-1) == (1 << 128) - 1
        for _ in range(20):  # swizzle: indices in range, just past it, and far past it
            a = rng.getrandbits(128)
            idx = [rng.choice([rng.randrange(16), rng.randrange(16, 32), rng.randrange(32, 256)])
                   for _ in range(16)]
            want = join([lanes(a, 8)[k] if k < 16 else 0 for k in idx], 8)
            assert ex["swizzle"](a, join(idx, 8)) == want
            assert ex["relaxed_swizzle"](a, join(idx, 8)) == want
        with pytest.raises(ValueError):
            ex["add"](1 << 128, 0)
        with pytest.raises(TypeError):
            ex["add"](1.0, 0)
        assert ex["add"](-1, join([1] * 4, 32)) == 0  # -1 is all ones, as in two's complement


@pytest.mark.qemu
def test_run_invoke_reads_and_prints_v128_as_wasmtime(tmp_path: Path) -> None:
    """`wasmtime run --invoke` prints a v128 as its unsigned 128-bit integer."""
    (tmp_path / "m.wat").write_text(SIMD)
    a = 0x0102030405060708090A0B0C0D0E0F10
    run = subprocess.run([str(Path(sys.executable).parent / "osbuild"), "run", "--invoke",
                          "reverse", str(tmp_path / "m.wat"), hex(a)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(int.from_bytes(a.to_bytes(16, "little"), "big"))


SWIZZLE_I64 = """(module
  (func (export "swizzle") (param i64 i64 i64 i64) (result i64 i64) (local v128)
    (local.set 4 (i8x16.swizzle
      (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1))
      (i64x2.replace_lane 1 (i64x2.splat (local.get 2)) (local.get 3))))
    (i64x2.extract_lane 0 (local.get 4)) (i64x2.extract_lane 1 (local.get 4))))
"""


@pytest.mark.qemu
@pytest.mark.parametrize("tier", TIERS)
def test_swizzle_against_wasmtime(tier: str) -> None:
    """i8x16.swizzle (one vrgather.vv) against wasmtime, the v128s travelling as i64 halves
    (the wasmtime package cannot pass a v128): indices in range, 16..31 (which RVV's
    vrgather would read at a VLEN above 128), and far out of range."""
    from osbuild.jit.wasmtools import wat_to_wasm

    rng = random.Random(1516)
    calls = []
    for _ in range(300):
        idx = join([rng.choice([rng.randrange(16), rng.randrange(16, 32), rng.randrange(256)])
                    for _ in range(16)], 8)
        a = rng.getrandbits(128)
        calls.append(Call("swizzle", "IIII:II",
                          [a & (1 << 64) - 1, a >> 64, idx & (1 << 64) - 1, idx >> 64]))
    assert check([Case(wat_to_wasm(SWIZZLE_I64.encode()), calls)], tier) == []


# Float-to-integer and truncating lanes, a v128 travelling as i64 halves. `twice` applies a
# truncation to its own result: LLVM put a vsetvli right before the second conversion, and
# QEMU 7.2 aborted on that conversion's old form (vfcvt.rtz) starting a translation block.
# NaN lanes of float results are made canonical (wasm leaves their payload open).
def _truncations_wat() -> str:
    canon = {"f32x4": "v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000",
             "f64x2": "v128.const i64x2 0x7ff8000000000000 0x7ff8000000000000"}
    ops = {"f32x4.trunc": "f32x4", "f64x2.trunc": "f64x2",
           "i32x4.trunc_sat_f32x4_s": "", "i32x4.trunc_sat_f32x4_u": "",
           "i32x4.trunc_sat_f64x2_s_zero": "", "i32x4.trunc_sat_f64x2_u_zero": ""}
    funcs = []
    for name, shape in ops.items():
        for twice in (False, True):
            if twice and not shape:
                continue
            body = f"({name} (local.get 2))"
            if twice:
                body = f"({name} {body})"
            if shape:
                body = (f"(v128.bitselect {body} ({canon[shape]}) "
                        f"({shape}.ne (local.tee 3 {body}) (local.get 3)))")
            funcs.append(
                f'(func (export "{name}{"_twice" if twice else ""}") (param i64 i64) '
                f"(result i64 i64) (local v128 v128)\n"
                f"  (local.set 2 (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) "
                f"(local.get 1)))\n"
                f"  (local.set 2 {body})\n"
                f"  (i64x2.extract_lane 0 (local.get 2)) (i64x2.extract_lane 1 (local.get 2)))")
    return "(module\n" + "\n".join(funcs) + ")\n"


F32_EDGES = [0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FA00000, 0x7F800000, 0xFF800000, 0, 1 << 31,
             0x3F000000, 0xBF000000, 0x3FC00000, 0xBFC00000, 0x40200000, 0xC0200000, 1,
             0x4EFFFFFF, 0x4F000000, 0xCF000000, 0xCF000001, 0x4F7FFFFF, 0x4F800000,
             0x4B000000, 0x4AFFFFFF, 0xCAFFFFFF, 0x7F7FFFFF, 0xFF7FFFFF]
F64_EDGES = [0x7FF8000000000000, 0xFFF8000000000000, 0x7FF0000000000001, 0x7FF0000000000000,
             0xFFF0000000000000, 0, 1 << 63, 0x3FE0000000000000, 0xBFE0000000000000,
             0x3FF8000000000000, 0xBFF8000000000000, 1, 0x41DFFFFFFFC00000,
             0x41DFFFFFFFE00000, 0x41E0000000000000, 0xC1E0000000000000, 0xC1E0000000200000,
             0xC1E0000000100000, 0x41EFFFFFFFE00000, 0x41EFFFFFFFF00000, 0x41F0000000000000,
             0x4330000000000000, 0x432FFFFFFFFFFFFF, 0xC32FFFFFFFFFFFFF, 0x7FEFFFFFFFFFFFFF]


@pytest.mark.qemu
@pytest.mark.parametrize("tier", TIERS)
def test_truncations_against_wasmtime(tier: str) -> None:
    """f32x4/f64x2.trunc and i32x4.trunc_sat_* (which no longer use RVV's static
    round-towards-zero conversions, docs/ARCHITECTURE.md "SIMD") against wasmtime: NaNs,
    infinities, signed zeros, halves, the i32/u32 bounds and the floats on either side,
    2^23/2^52 (the first whole-only floats), the largest finite values, random bits."""
    from osbuild.jit.decode import decode
    from osbuild.jit.wasmtools import wat_to_wasm

    wasm = wat_to_wasm(_truncations_wat().encode())
    rng = random.Random(1515)
    calls = []
    for export in decode(wasm).exports:
        f64 = "f64" in export.name
        edges = F64_EDGES if f64 else F32_EDGES
        for _ in range(60):
            lanes_ = [rng.choice([rng.choice(edges), rng.getrandbits(64 if f64 else 32)])
                      for _ in range(2 if f64 else 4)]
            v = join(lanes_, 64 if f64 else 32)
            calls.append(Call(export.name, "II:II", [v & (1 << 64) - 1, v >> 64]))
    assert len(calls) == 8 * 60
    assert check([Case(wasm, calls)], tier) == []


def test_no_vector_conversion_with_a_static_rounding_mode() -> None:
    """RVV's float-to-integer conversions with a static round-towards-zero mode (vfcvt.rtz,
    vfwcvt.rtz, vfncvt.rtz) abort QEMU 7.2 when they start a translation block (QEMU
    issue 1441; docs/ARCHITECTURE.md, "SIMD"): no SIMD instruction may compile to one, in
    either tier. The dynamic-mode conversions replace them."""
    from osbuild.jit.compiler import compile_module
    from osbuild.jit.wasmtools import wat_to_wasm

    relaxed = ["i32x4.relaxed_trunc_f32x4_s", "i32x4.relaxed_trunc_f32x4_u",
               "i32x4.relaxed_trunc_f64x2_s_zero", "i32x4.relaxed_trunc_f64x2_u_zero"]
    rounding = [f"{s}.{op}" for s in ("f32x4", "f64x2")
                for op in ("ceil", "floor", "trunc", "nearest", "sqrt")]
    extra = "".join(f'(func (export "{op}") (param v128) (result v128) ({op} (local.get 0)))\n'
                    for op in relaxed + rounding + ["f32x4.demote_f64x2_zero",
                                                    "f64x2.promote_low_f32x4"])
    wat = _truncations_wat().removesuffix(")\n") + extra + ")"
    for tier in TIERS:
        obj = compile_module(wat_to_wasm(wat.encode()), "m", tier=tier).object_path
        text = subprocess.run(["llvm-objdump", "-d", "--mattr=+v,+zba,+zbb", str(obj)],
                              capture_output=True, text=True, check=True).stdout
        assert re.search(r"\bvfcvt\.x\.f\.v\b", text), text  # the dynamic-mode form
        assert not re.search(r"\bv\w*cvt\.rtz\.", text), text


NAN_LANES_WAT = """(module
  (func $out (param v128) (result i64 i64)
    (i64x2.extract_lane 0 (local.get 0)) (i64x2.extract_lane 1 (local.get 0)))
  (func (export "demote_literal") (result i64 i64)
    (call $out (f32x4.demote_f64x2_zero (v128.const f64x2 -nan:0xf800000000000 nan:0x1))))
  (func (export "promote_literal") (result i64 i64)
    (call $out (f64x2.promote_low_f32x4 (v128.const f32x4 -nan:0x7c0000 nan:0x1 0 0))))
  (func (export "floor_literal") (result i64 i64)
    (call $out (f32x4.floor (v128.const f32x4 nan:0x200000 -nan:0x7fffff -nan 1.5))))
  (func (export "trunc_literal") (result i64 i64)
    (call $out (f64x2.trunc (v128.const f64x2 nan:0x4000000000000 -nan:0xfffffffffffff))))
  (func (export "demote") (param i64 i64) (result i64 i64)
    (call $out (f32x4.demote_f64x2_zero
      (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))))
  (func (export "nearest") (param i64 i64) (result i64 i64)
    (call $out (f32x4.nearest (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1))))))
"""


@pytest.mark.qemu
@pytest.mark.parametrize("tier", TIERS)
def test_nan_lanes_are_canonical_against_wasmtime(tier: str) -> None:
    """Conversions and roundings give the canonical NaN for every NaN lane, signaling or
    not, with a payload or a sign, whether LLVM folds a literal operand or the vector unit
    computes it: the same bits as wasmtime, which canonicalizes NaNs. (A scalar literal's
    fold kept sign and payload: tests/corpus/fuzz-7d9cd0941c44.wat.)"""
    from osbuild.jit.wasmtools import wat_to_wasm

    nans = [0x7FF0000000000001, 0xFFF8000000000000, 0xFFFF800000000000, 0x7FF4000000000000]
    calls = [Call(name, ":II", []) for name in
             ("demote_literal", "promote_literal", "floor_literal", "trunc_literal")]
    calls += [Call("demote", "II:II", [a, b]) for a in nans for b in nans]
    f32s = [0x7FA00000, 0xFFC00001, 0xFF800001, 0x7FC00000]
    calls += [Call("nearest", "II:II", [a | b << 32, b | a << 32]) for a in f32s for b in f32s]
    assert check([Case(wat_to_wasm(NAN_LANES_WAT.encode()), calls)], tier) == []
