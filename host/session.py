"""Booting an image with a command script and collecting its frames until the guest powers
off, with a deadline. The one loop that every guest interaction (run, spec) goes through."""

from __future__ import annotations

import os
import selectors
import time
from collections.abc import Callable
from pathlib import Path

from .console import Demux
from .machine import Machine

FrameHandler = Callable[[str, bytes], None]


class Timeout(Exception):
    """The guest did not power off before the deadline."""


def boot(image: Path, script: str | None, on_frame: FrameHandler, *,
         timeout: float | None = None, extra_args: list[str] | None = None,
         on_start: Callable[[Machine], None] | None = None) -> tuple[int, bytes]:
    """Run the guest to completion; returns (QEMU exit status, firmware noise).

    Raises Timeout when ``timeout`` seconds pass first; QEMU is gone either way.
    """
    demux = Demux()
    with Machine(image, script, extra_args=extra_args) as m:
        if on_start is not None:
            on_start(m)
        m.cont()
        deadline = None if timeout is None else time.monotonic() + timeout
        fd = m.stdout.fileno()
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while True:
                wait = None if deadline is None else deadline - time.monotonic()
                if wait is not None and wait <= 0:
                    raise Timeout()
                if not sel.select(wait):
                    continue
                data = os.read(fd, 65536)
                if not data:
                    break
                for channel, payload in demux.feed(data):
                    on_frame(channel, payload)
        status = m.wait(timeout=10)
    return status, bytes(demux.noise)
