"""Encoding pieces of the wasm binary format for tests that build modules byte by byte (the
decoder tests, the robustness fuzzer)."""

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
