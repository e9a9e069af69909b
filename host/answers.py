"""The guest's answer frames (R, T, L) and statistics frames (M) as typed values
(docs/ARCHITECTURE.md, "Console protocol").

Apart from host/protocol.py, which a plain `osbuild run` imports, because these need
dataclasses, the values (host/values.py) and the ABI's trap messages: ~15 ms of imports that
a WASI command, which answers nothing, does not pay (issue 14).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .traps import trap_message
from .values import Value


@dataclass(frozen=True)
class Stats:
    """An `M` frame: instructions retired by one start/invoke (host calls included), the most
    4 KiB pages of guest RAM ever in use, and the garbage collector's figures."""

    instret: int
    peak_pages: int
    gc_collections: int = 0  # the store's garbage collections so far
    gc_peak: int = 0  # the most bytes its GC heap held at once


def parse_stats(payload: bytes) -> Stats:
    """`instret N peak-pages P [gc-collections C gc-peak B]` → Stats."""
    words = payload.decode().split()
    fields = dict(zip(words[::2], words[1::2], strict=True))
    return Stats(int(fields["instret"]), int(fields["peak-pages"]),
                 int(fields.get("gc-collections", 0)), int(fields.get("gc-peak", 0)))


@dataclass(frozen=True)
class Results:
    """An `R` frame: the results of a call (empty for none, and for lines without results)."""

    values: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class TrapReport:
    """A `T` frame: trap code, trap site, faulting wasm address (memory traps), and the
    frame-pointer walk (the trap site first, then return addresses)."""

    code: int
    pc: int
    addr: int | None
    frames: list[int]

    @property
    def message(self) -> str:
        return trap_message(self.code)


@dataclass(frozen=True)
class LinkReport:
    """An `L` frame: the guest could not run the line (an import it cannot link, an
    unknown export or instance, ...)."""

    message: str


Answer = Results | TrapReport | LinkReport


def parse_answer(channel: str, payload: bytes) -> Answer:
    """One answer frame (channel R, T or L) as a typed answer."""
    text = payload.decode(errors="replace")
    if channel == "R":
        return Results([Value(t, int(bits, 16))
                        for t, bits in (token.split(":", 1) for token in text.split())])
    if channel == "T":
        first, *rest = text.splitlines()
        _, code, pc, addr = first.split()
        frames = [int(line.split()[1], 16) for line in rest if line.startswith("frame ")]
        return TrapReport(int(code), int(pc, 16), None if addr == "-" else int(addr, 16), frames)
    if channel == "L":
        return LinkReport(text)
    raise ValueError(f"not an answer frame: channel {channel!r}")
