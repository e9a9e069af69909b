"""The one converter of wasm values: raw bits (what the guest's slots and answer frames hold)
↔ Python values (the embedding API, the wasmtime oracle) ↔ text (command-line arguments and
what `osbuild run --invoke` and `osbuild debug` print, as `wasmtime run --invoke` prints).

A type is given either by its signature letter (`i I f F r e`) or by its name (`i32` ...):
signatures use letters, the guest's answer frames use names (both from guest/abi.def, read by
osbuild.abi).
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

from osbuild.abi import TYPE_NAMES
from osbuild.errors import UsageError

WIDTH = {"i32": 32, "i64": 64, "f32": 32, "f64": 64, "v128": 128, "funcref": 64,
         "externref": 64}
REFERENCES = ("funcref", "externref")

PyValue = int | float | None


def type_name(t: str) -> str:
    """The type name of a signature letter or of a type name."""
    name = TYPE_NAMES.get(t, t)
    if name not in WIDTH:
        raise ValueError(f"unknown value type {t!r}")
    return name


def mask(t: str, bits: int) -> int:
    return bits & ((1 << WIDTH[type_name(t)]) - 1)


def from_bits(t: str, bits: int) -> PyValue:
    """The Python value of raw bits: a signed int, a float, or a reference (None for null,
    otherwise the host's non-zero handle)."""
    name = type_name(t)
    if name in ("i32", "i64"):
        width = WIDTH[name]
        return bits - (1 << width) if bits >> (width - 1) else bits
    if name == "v128":
        return bits  # the unsigned 128-bit integer, as wasmtime's Python API has it
    if name == "f32":
        return struct.unpack("<f", struct.pack("<I", bits))[0]
    if name == "f64":
        return struct.unpack("<d", struct.pack("<Q", bits))[0]
    return None if bits == 0 else bits


def to_bits(t: str, value: PyValue) -> int:
    """Raw bits of a Python value of type ``t``; TypeError/ValueError for a value that does
    not fit (the embedding API's argument check)."""
    name = type_name(t)
    if name in REFERENCES:
        if value is None:
            return 0
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected an int handle or None for {name}")
        return value
    if name in ("i32", "i64", "v128"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected int for {name}, got {type(value).__name__}")
        width = WIDTH[name]
        if not -(1 << (width - 1)) <= value < (1 << width):
            raise ValueError(f"{value} is out of range for {name}")
        return value & ((1 << width) - 1)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError(f"expected float for {name}, got {type(value).__name__}")
    if name == "f32":
        return struct.unpack("<I", struct.pack("<f", value))[0]
    return struct.unpack("<Q", struct.pack("<d", value))[0]


def from_text(t: str, text: str) -> int:
    """Raw bits of a command-line argument of type ``t``; a UsageError says what is wrong."""
    name = type_name(t)
    if name in REFERENCES:
        raise UsageError(f"cannot pass a {name} on the command line")
    try:
        value: PyValue = int(text, 0) if name in ("i32", "i64", "v128") else float(text)
    except ValueError:
        raise UsageError(f"argument {text!r} is not a valid {name}") from None
    try:
        return to_bits(name, value)
    except (ValueError, OverflowError):
        raise UsageError(f"argument {text!r} is out of range for {name}") from None


def slot_words(t: str, bits: int) -> list[int]:
    """The u64 words a value takes in the guest's slot array (and an `invoke` line): one, or
    two for a v128, the low half first (guest/run.c)."""
    if type_name(t) == "v128":
        return [bits & (1 << 64) - 1, bits >> 64]
    return [bits]


def parse_args(texts: list[str], sig: str, export: str) -> list[int]:
    """The slot words of `--invoke` arguments, checked against the export's signature."""
    params = sig.split(":")[0]
    if len(texts) != len(params):
        want = ", ".join(TYPE_NAMES[p] for p in params) or "none"
        raise UsageError(f"export '{export}' takes {len(params)} argument(s) ({want}), "
                         f"got {len(texts)}")
    return [w for t, p in zip(texts, params, strict=True) for w in slot_words(p, from_text(p, t))]


def format_float(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def any_ref_text(bits: int) -> str:
    """A non-null reference outside the function family, by its encoding (jit/gc.py): an i31
    with its value, a host value with the host's number, a GC object (struct, array, exception)
    with its address, which is its identity."""
    if bits & 1:
        return f"i31ref({bits >> 1})"
    if bits & 3 == 2:
        return f"externref({bits >> 2})"
    return f"anyref({bits:#x})"


def to_text(t: str, bits: int, *, hex: bool = False) -> str:
    """A value as `wasmtime run --invoke` prints it (decimal integers, floats as wasmtime
    prints them; a reference as its type and identity, `funcref(0x..)`, `anyref(0x..)`,
    `i31ref(5)`, `externref(N)`, or `null`), or its raw bits in hex."""
    name = type_name(t)
    if hex:
        return f"{mask(name, bits):#x}"
    value = from_bits(name, bits)
    if name == "externref" and value is not None:
        return any_ref_text(bits)
    if name in REFERENCES:
        return "null" if value is None else f"{name}({bits:#x})"
    if isinstance(value, float):
        return format_float(value)
    return str(value)


@dataclass(frozen=True)
class Value:
    """A typed wasm value as the guest reports it: type name and raw bits."""

    type: str
    bits: int

    @property
    def python(self) -> PyValue:
        return from_bits(self.type, self.bits)

    def text(self, *, hex: bool = False) -> str:
        return to_text(self.type, self.bits, hex=hex)
