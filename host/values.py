"""Command-line values for `--invoke`: parsing arguments by the export's parameter types into
raw bits, and printing results the way `wasmtime run --invoke` does."""

from __future__ import annotations

import math
import struct

from osbuild.errors import UsageError

TYPES = {"i": "i32", "I": "i64", "f": "f32", "F": "f64", "r": "funcref", "e": "externref"}


def parse_arg(text: str, letter: str) -> int:
    """Raw bits of ``text`` as a value of wasm type ``letter`` (signature letter)."""
    t = TYPES[letter]
    try:
        if t in ("i32", "i64"):
            bits = 32 if t == "i32" else 64
            v = int(text, 0)
            if not -(1 << (bits - 1)) <= v < (1 << bits):
                raise UsageError(f"argument {text!r} is out of range for {t}")
            return v & ((1 << bits) - 1)
        if t in ("f32", "f64"):
            v = float(text)
            if t == "f32":
                return struct.unpack("<I", struct.pack("<f", v))[0]
            return struct.unpack("<Q", struct.pack("<d", v))[0]
    except ValueError:
        raise UsageError(f"argument {text!r} is not a valid {t}") from None
    except OverflowError:
        raise UsageError(f"argument {text!r} is out of range for {t}") from None
    raise UsageError(f"cannot pass a {t} on the command line")


def parse_args(texts: list[str], sig: str, export: str) -> list[int]:
    params = sig.split(":")[0]
    if len(texts) != len(params):
        want = ", ".join(TYPES[p] for p in params) or "none"
        raise UsageError(f"export '{export}' takes {len(params)} argument(s) ({want}), "
                         f"got {len(texts)}")
    return [parse_arg(t, p) for t, p in zip(texts, params, strict=True)]


def format_float(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


def format_result(token: str) -> str:
    """One `TYPE:HEX` token of an R frame as wasmtime prints it."""
    t, hexbits = token.split(":", 1)
    bits = int(hexbits, 16)
    if t == "i32":
        return str(bits - (1 << 32) if bits >> 31 else bits)
    if t == "i64":
        return str(bits - (1 << 64) if bits >> 63 else bits)
    if t == "f32":
        return format_float(struct.unpack("<f", struct.pack("<I", bits))[0])
    if t == "f64":
        return format_float(struct.unpack("<d", struct.pack("<Q", bits))[0])
    return "null" if bits == 0 else f"{t}({bits:#x})"
