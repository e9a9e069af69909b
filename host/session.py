"""Booting an image with a command script and collecting its frames until the guest powers
off, with a deadline. The one loop that every guest interaction (run, spec) goes through."""

from __future__ import annotations

import os
import selectors
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .console import Demux
from .machine import Machine

FrameHandler = Callable[[str, bytes], None]


class Timeout(Exception):
    """The guest did not power off before the deadline."""


def pump_stdin(source: BinaryIO, machine: Machine, started: threading.Event) -> None:
    """Copy our stdin to the guest as frames (0x1E, len_lo, len_hi, data; empty = EOF),
    once the kernel runs (the firmware resets the UART's receive FIFO before that)."""
    started.wait()
    try:
        sink = machine.proc.stdin  # type: ignore[union-attr]
        while True:
            chunk = source.read1(4096) if hasattr(source, "read1") else source.read(4096)
            sink.write(bytes([0x1E, len(chunk) & 0xFF, len(chunk) >> 8]) + chunk)
            sink.flush()
            if not chunk:
                return
    except (OSError, ValueError, AttributeError):
        return  # the guest is gone; nothing more to deliver


def boot(image: Path, script: str | None, on_frame: FrameHandler, *,
         timeout: float | None = None, extra_args: list[str] | None = None,
         on_start: Callable[[Machine], None] | None = None,
         stdin: BinaryIO | None = None) -> tuple[int, bytes]:
    """Run the guest to completion; returns (QEMU exit status, firmware noise).

    ``stdin``, if given, is forwarded to the program's fd 0. Raises Timeout when ``timeout``
    seconds pass first; QEMU is gone either way.
    """
    demux = Demux()
    with Machine(image, script, extra_args=extra_args, stdin=stdin is not None) as m:
        if on_start is not None:
            on_start(m)
        m.cont()
        started = threading.Event()
        if stdin is not None:
            threading.Thread(target=pump_stdin, args=(stdin, m, started), daemon=True).start()
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
                    if channel == "S":
                        started.set()
                    on_frame(channel, payload)
        status = m.wait(timeout=10)
    return status, bytes(demux.noise)
