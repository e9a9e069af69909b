"""Decoder unit tests: LEB128 edge cases, every section kind, and malformed input."""

from __future__ import annotations

import pytest
from wasmenc import leb

from osbuild.jit.decode import MalformedError, Reader, decode
from osbuild.jit.wasmtools import wat_to_wasm
from osbuild.jit.wasmtypes import F64, FUNCREF, I32, I64


@pytest.mark.parametrize("value", [0, 1, 127, 128, 624485, 2**32 - 1])
def test_u32_roundtrip(value: int) -> None:
    assert Reader(leb(value)).u32() == value


@pytest.mark.parametrize(
    ("data", "value"),
    [(b"\x7f", -1), (b"\x80\x7f", -128), (b"\x3f", 63), (b"\xc0\xbb\x78", -123456),
     (b"\xff\xff\xff\xff\x07", 2**31 - 1), (b"\x80\x80\x80\x80\x78", -(2**31))],
)
def test_s32(data: bytes, value: int) -> None:
    assert Reader(data).s32() == value


def test_s64_extremes() -> None:
    assert Reader(b"\x80" * 9 + b"\x7f").s64() == -(2**63)
    assert Reader(b"\xff" * 9 + b"\x00").s64() == 2**63 - 1


@pytest.mark.parametrize(
    "data",
    [b"\x80\x80\x80\x80\x80\x00",  # too long for u32
     b"\x80\x80\x80\x80\x10",  # unused bits set in the last byte
     b"\x80"],  # truncated
)
def test_u32_malformed(data: bytes) -> None:
    with pytest.raises(MalformedError):
        Reader(data).u32()


def test_s32_bad_sign_extension() -> None:
    with pytest.raises(MalformedError):
        Reader(b"\xff\xff\xff\xff\x4f").s32()


def test_bad_magic_and_version() -> None:
    with pytest.raises(MalformedError, match="magic"):
        decode(b"\0asn\x01\0\0\0")
    with pytest.raises(MalformedError, match="version"):
        decode(b"\0asm\x02\0\0\0")


def test_all_sections() -> None:
    wasm = wat_to_wasm(b"""
    (module $m
      (type $t (func (param i32 i64) (result f64)))
      (import "env" "f" (func $imp (type $t)))
      (import "env" "g" (global $ig i32))
      (table 2 10 funcref)
      (memory 1 3)
      (global $g (mut i64) (i64.const -5))
      (func $body (param i32) (result i32) (local i64 f64)
        (local.get 0))
      (export "body" (func $body))
      (export "mem" (memory 0))
      (start $s)
      (func $s)
      (elem (i32.const 0) $body $s)
      (data (i32.const 8) "hi")
      (data "passive"))
    """)
    m = decode(wasm)
    assert m.name == "m"
    assert m.types[0].params == (I32, I64) and m.types[0].results == (F64,)
    assert [i.kind for i in m.imports] == ["func", "global"]
    assert m.tables[0].elem == FUNCREF and m.tables[0].limits.max == 10
    assert m.memories[0].min == 1 and m.memories[0].max == 3
    assert m.globals[0].type.mutable and m.globals[0].init[0].imm == -5
    assert m.bodies[0].locals == (I64, F64)
    assert {e.name: e.kind for e in m.exports} == {"body": "func", "mem": "memory"}
    assert m.start == 2
    assert m.elems[0].mode == "active" and len(m.elems[0].items) == 2
    assert [d.mode for d in m.datas] == ["active", "passive"]
    assert m.func_names[1] == "body"
    assert m.func_type(0).sig() == "iI:F"


def test_instruction_offsets_point_at_opcodes() -> None:
    wasm = wat_to_wasm(b"(module (func (result i32) i32.const 7 i32.const 0 i32.div_s))")
    m = decode(wasm)
    code = m.bodies[0].code
    assert [i.op for i in code] == [0x41, 0x41, 0x6D, 0x0B]
    assert wasm[code[2].offset] == 0x6D


def test_truncated_module() -> None:
    wasm = wat_to_wasm(b"(module (func (result i32) i32.const 7))")
    with pytest.raises(MalformedError):
        decode(wasm[:-3])


def test_illegal_opcode() -> None:
    wasm = bytearray(wat_to_wasm(b"(module (func nop))"))
    wasm[wasm.rindex(0x01)] = 0xFF  # the nop
    with pytest.raises(MalformedError, match="illegal opcode"):
        decode(bytes(wasm))
