"""How much RAM the guest gets, and the byte sizes users write (`--max-memory 64M`).

Linear memory is demand-paged in the guest: an untouched page costs neither the guest nor the
host anything (QEMU backs guest RAM with memory the host maps on first touch, and the kernel
touches no page at boot that it does not use). So the guest can be given RAM for everything
its programs could reach without paying for it up front, as wasmtime reserves a whole 4 GiB
memory and lets the host's lazy mapping decide: the largest linear memory any module of the
image can grow to (its declared maximum, 4 GiB without one), plus room for the kernel.
"""

from __future__ import annotations

import re

from osbuild.errors import UsageError

from .image import Image

WASM_PAGE = 65536
MAX_PAGES = 65536  # a 32-bit memory: 4 GiB
KERNEL_ROOM = 256 << 20  # kernel, stacks, tables, page tables, WASI buffers
MIN_RAM = 1 << 30  # what every image had before memories were demand-paged
SMALLEST_RAM = 32 << 20  # below this the firmware, kernel, device tree and script collide

UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
SIZE = re.compile(r"(\d+)\s*([kmgt]?)(?:i?b)?", re.IGNORECASE)


def parse_size(text: str, option: str) -> int:
    """Bytes from ``123``, ``64K``, ``64M``, ``4GiB`` (binary units, case-insensitive)."""
    m = SIZE.fullmatch(text.strip())
    if m is None:
        raise UsageError(f"{option} expects a size in bytes (e.g. 65536, 64M, 4G), got {text!r}")
    return int(m[1]) * UNITS[m[2].lower()]


def memory_reach(image: Image) -> int:
    """Bytes of the largest linear memory a module of the image may grow to."""
    reach = 0
    for meta in image.metadata:
        mem = meta.get("memory")
        if mem and not mem.get("imported"):
            pages = mem.get("max")
            reach = max(reach, min(MAX_PAGES if pages is None else pages, MAX_PAGES))
    return reach * WASM_PAGE


def ram_arg(size: int) -> str:
    """QEMU's -m argument for ``size`` bytes (whole MiB, rounded up); a UsageError for a
    size the guest cannot boot in."""
    if size < SMALLEST_RAM:
        raise UsageError(f"--guest-ram must be at least {SMALLEST_RAM >> 20}M, got {size} bytes")
    return f"{-(-size // (1 << 20))}M"


def guest_ram(image: Image) -> str:
    """QEMU's -m argument for booting ``image``: enough for what its programs can ask."""
    return ram_arg(max(MIN_RAM, KERNEL_ROOM + memory_reach(image)))
