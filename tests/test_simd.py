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
    """The kernel never saves vector registers (ARCHITECTURE, "SIMD"), so it must not use
    them: its objects are built for rv64gc without V."""
    from osbuild.boot.kernel import kernel_objects

    for obj in kernel_objects():
        text = subprocess.run(["llvm-objdump", "-d", "--mattr=+v", str(obj)],
                              capture_output=True, text=True, check=True).stdout
        assert not re.search(r"\tv(set|le|se|add|mv|l\d|s\d)", text), obj


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
