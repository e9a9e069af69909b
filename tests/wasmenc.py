"""Encoding pieces of the wasm binary format for tests and benchmarks that build modules byte by
byte (the decoder tests, the robustness fuzzer, bench/build_cost.py, bench/compile_speed.py)."""

from __future__ import annotations


def leb(n: int) -> bytes:
    """Unsigned LEB128 of ``n``."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def sleb(n: int) -> bytes:
    """Signed LEB128 of ``n``."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)
