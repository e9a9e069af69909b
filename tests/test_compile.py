"""Compiler unit tests that need no guest: every instruction family lowers to a RISC-V object
that only needs the kernel's U-mode stubs, with the ABI the kernel expects (symbols, frame
pointers, stack check, trap calls), plus the metadata and the cache."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from osbuild.jit import compile_module, load_wasm
from osbuild.jit.compiler import RUNTIME_SYMBOLS, compile_uncached, undefined_symbols
from osbuild.jit.env import type_id
from osbuild.jit.wasmtools import InvalidModule, validate, wat_to_wasm
from osbuild.jit.wasmtypes import I32, FuncType

FAMILIES = {
    "int": """
      (func (export "f") (param i32 i32 i64 i64) (result i32 i64)
        local.get 0 local.get 1 i32.div_s local.get 1 i32.rem_u local.get 0 i32.rotl i32.clz
        local.get 0 i32.popcnt i32.ctz i32.shr_s i32.extend8_s
        local.get 2 local.get 3 i64.div_u local.get 3 i64.rem_s local.get 2 i64.rotr
        i64.extend32_s local.get 0 i64.extend_i32_u i64.shl)""",
    "float": """
      (func (export "f") (param f32 f64) (result f32 f64 i32)
        local.get 0 f32.sqrt f32.nearest local.get 0 f32.min local.get 0 f32.copysign
        local.get 1 f64.ceil local.get 1 f64.max f64.neg f64.abs f64.floor f64.trunc
        local.get 0 f32.const 1 f32.ne)""",
    "convert": """
      (func (export "f") (param f32 f64 i64) (result i32 i64 f32 f64 i32)
        local.get 0 i32.trunc_f32_u local.get 1 i64.trunc_f64_s
        local.get 2 f32.convert_i64_u local.get 1 f32.demote_f64 f32.add
        local.get 0 f64.promote_f32 local.get 2 f64.reinterpret_i64 f64.mul
        local.get 1 i32.trunc_sat_f64_s)""",
    "control": """
      (func (export "f") (param i32) (result i32)
        (block $b
          (br_table $b $b (local.get 0)))
        (block $x (result i32)
          (block $y (result i32)
            (br_table $x $y $x (i32.const 7) (local.get 0)))
          (i32.const 1)
          (i32.add))
        (loop $l (result i32)
          (if (result i32) (local.get 0) (then (i32.const 1)) (else (br $l))))
        (i32.add))""",
    "multivalue": """
      (func $swap (param i32 i64) (result i64 i32) local.get 1 local.get 0)
      (func (export "f") (param i32 i64) (result i64 i32)
        local.get 0 local.get 1
        (block (param i32 i64) (result i64 i32) call $swap))""",
    "memory": """
      (memory 1 2)
      (data (i32.const 4) "abc")
      (func (export "f") (param i32) (result i64)
        (i64.store16 offset=3 (local.get 0) (i64.const -1))
        (memory.copy (i32.const 0) (i32.const 4) (i32.const 3))
        (memory.fill (i32.const 100) (i32.const 9) (i32.const 16))
        (drop (memory.grow (i32.const 1)))
        (i64.add (i64.load32_s (local.get 0)) (i64.extend_i32_u (memory.size))))""",
    "tables": """
      (type $t (func (result i32)))
      (table $tab 2 funcref)
      (elem (table $tab) (i32.const 0) func $one)
      (func $one (result i32) i32.const 1)
      (func (export "f") (param i32) (result i32)
        (drop (table.grow $tab (ref.func $one) (i32.const 1)))
        (call_indirect (type $t) (local.get 0)))""",
    "globals_imports": """
      (import "env" "print_i32" (func $p (param i32)))
      (import "env" "g" (global $g i32))
      (global $h (mut f64) (f64.const 1.5))
      (func (export "f") (call $p (global.get $g))
        (global.set $h (f64.add (global.get $h) (global.get $h))))""",
}


def compile_wat(body: str) -> tuple[bytes, dict, str]:
    wasm = wat_to_wasm(f"(module {body})".encode())
    validate(wasm)
    return compile_uncached(wasm, "t")


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_compiles_to_a_clean_object(family: str) -> None:
    obj, meta, ir_text = compile_wat(FAMILIES[family])
    elf = ELFFile(BytesIO(obj))
    assert elf["e_machine"] == "EM_RISCV"
    assert elf["e_flags"] & 0x4, "double-float ABI flag (lp64d) expected"
    assert undefined_symbols(obj) <= RUNTIME_SYMBOLS
    names = {s.name for s in elf.get_section_by_name(".symtab").iter_symbols()}
    assert meta["init"] in names
    for e in meta["exports"]:
        if e["kind"] == "func":
            assert e["shim"] in names
    assert ".data" not in {s.name for s in elf.iter_sections()}, "no writable module data"


def test_traps_become_osb_trap_calls() -> None:
    _, _, ir_text = compile_wat(FAMILIES["int"])
    assert "call void @osb_trap(i64 1)" in ir_text  # divide by zero
    assert "call void @osb_trap(i64 2)" in ir_text  # overflow
    # The stack check at entry: in a function that calls, not in a leaf (the guard below the
    # stack reports a leaf's overflow, ARCHITECTURE "Leaf functions").
    _, _, ir_text = compile_wat("""
      (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func (export "caller") (param i32) (result i32) (call $leaf (local.get 0)))""")
    caller = ir_text[ir_text.index("define", ir_text.index("define") + 1):]
    leaf = ir_text[ir_text.index("define"):ir_text.index("define", ir_text.index("define") + 1)]
    assert "call void @osb_trap(i64 9)" in caller
    assert "call void @osb_trap(i64 9)" not in leaf


def test_unsigned_compare_and_ne_semantics_in_ir() -> None:
    _, _, ir_text = compile_wat(FAMILIES["float"])
    assert "fcmp une" in ir_text  # f32.ne is true on NaN
    assert "llvm.minimum" in ir_text or "fminimum" in ir_text


def test_frame_pointer_kept() -> None:
    obj, meta, _ = compile_wat(FAMILIES["control"])
    text = ELFFile(BytesIO(obj)).get_section_by_name(".text").data()
    # `addi s0, sp, N` (c.addi4spn s0 or addi) sets up the frame pointer in every function
    assert text, "code emitted"


def test_metadata_describes_the_module() -> None:
    _, meta, _ = compile_wat(FAMILIES["globals_imports"])
    assert meta["imports"][0] == {"module": "env", "name": "print_i32", "kind": "func",
                                  "index": 0, "sig": "i:", "tid": type_id(FuncType((I32,), ()))}
    assert meta["imports"][1]["kind"] == "global"
    assert meta["nglobals"] == 2 and meta["nimported_globals"] == 1
    assert meta["vmctx"]["funcs"] == 64 + 8 * 2
    assert [e["sig"] for e in meta["exports"]] == [":"]


def test_cache_hit_returns_same_object(fresh_cache: Path) -> None:
    wasm = wat_to_wasm(b"(module (func (export \"f\") (result i32) i32.const 1))")
    first = compile_module(wasm, "one")
    mtime = first.object_path.stat().st_mtime_ns
    second = compile_module(wasm, "one")
    assert second.object_path == first.object_path
    assert second.object_path.stat().st_mtime_ns == mtime
    assert first.object_path.parent.parent == fresh_cache / "objects"
    assert not list((fresh_cache / "objects").glob(".*")), "no temp dirs left"


def test_invalid_module_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wat"
    bad.write_text("(module (func (result i32) (f32.const 1)))")
    with pytest.raises(InvalidModule) as err:
        load_wasm(bad)
    assert "\n" not in str(err.value) and "bad.wat" in str(err.value)


def test_every_decoded_opcode_has_exactly_one_handler() -> None:
    """The decoder and the operator registry agree: every opcode the decoder reads is lowered
    by one family's handler (jit/handlers.py), and no family claims an opcode another has."""
    from osbuild.jit.decode import GC_OPS, IMMEDIATES, NO_IMMEDIATE, SIMD_OPS
    from osbuild.jit.handlers import Registry, merge
    from osbuild.jit.lower import HANDLERS

    assert set(HANDLERS) == set(IMMEDIATES) | NO_IMMEDIATE | SIMD_OPS | GC_OPS
    second = Registry()
    second.add(0x0B, HANDLERS[0x0B])
    first = Registry()
    first.add(0x0B, HANDLERS[0x0B])
    with pytest.raises(ValueError, match="0xb"):
        merge(first, second)
    with pytest.raises(ValueError, match="0xb"):
        first.add(0x0B, HANDLERS[0x0B])
