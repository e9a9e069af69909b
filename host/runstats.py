"""`osbuild run --stats`: what a run cost, printed on stderr after it.

The guest measures the program itself (the kernel's `stats` line: instructions retired from
entering the program to its end, host calls included, and the peak of guest RAM in use); the
host adds wall times of its own phases. Under `--stats=exact` QEMU runs with `-icount
shift=0`, where one instruction is one tick of virtual time, so the count is the same on every
run and benchmarks (bench/) compare instruction counts rather than noisy wall times.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from .answers import Stats

EXACT_ARGS = ["-icount", "shift=0"]
PAGE = 4096


@dataclass
class RunStats:
    """Clock marks of one `osbuild run` and the guest's M frames."""

    exact: bool
    start: float = field(default_factory=time.monotonic)
    built: float = 0.0
    spawned: float = 0.0
    first_frame: float = 0.0
    end: float = 0.0
    guest: list[Stats] = field(default_factory=list)

    @staticmethod
    def now() -> float:
        return time.monotonic()

    def lines(self) -> list[str]:
        instret = sum(s.instret for s in self.guest)
        peak = max((s.peak_pages for s in self.guest), default=0)
        how = "exact: QEMU -icount shift=0" if self.exact else "rdinstret; --stats=exact for exact"
        boot = self.first_frame - self.spawned if self.first_frame else 0.0
        run = self.end - self.first_frame if self.first_frame else 0.0
        return [
            f"instructions: {instret:,} ({how})",
            f"build: {self.built - self.start:.3f} s (compile and link, or the cache)",
            f"boot: {boot:.3f} s (QEMU start to the kernel's first frame)",
            f"run: {run:.3f} s (kernel's first frame to power-off)",
            f"total: {self.end - self.start:.3f} s",
            f"peak guest memory: {peak * PAGE / 2**20:.1f} MiB ({peak} pages)",
            *self.gc_lines(),
        ]

    def gc_lines(self) -> list[str]:
        """The garbage collector's figures, when the program allocated GC objects."""
        collections = max((s.gc_collections for s in self.guest), default=0)
        heap = max((s.gc_peak for s in self.guest), default=0)
        if not heap:
            return []
        return [f"gc: {collections} collections, peak heap {heap / 2**20:.1f} MiB"]

    def print(self) -> None:
        for line in self.lines():
            print(f"osbuild: stats: {line}", file=sys.stderr)
