"""The guest's console: the one reader of a Machine's UART stream and console port, and the
ways the host talks to a guest through them.

`Console` turns both streams into frames (host/protocol.py), hands program output (channels
`1`, `2`, which come over the virtio console port, guest/vconsole.c) to sinks and everything
else to its caller, with a deadline. The two streams are put back in the order the guest
wrote them: the guest's port writes complete only once QEMU has put every byte in our socket,
so when UART bytes arrive, whatever the program wrote before them is already there, and is
taken first (`_drain_port`). Stdin goes the other way on the same port. It serves three modes:
run to power-off (`boot`, and `run_script` for scripts whose every answer is wanted: the spec
runner, the differential harness), one request → one answer (`Console.answer`: the embedding
API), and in the background (`Console.follow`: the debugger, whose guest is stopped and
resumed under it).
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

from .image import Image
from .machine import Machine
from .protocol import ANSWERS, Demux, Script, stdin_frame

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (issue 14)
if TYPE_CHECKING:  # answers are parsed only where they are wanted (host/answers.py)
    from typing import BinaryIO

    from .answers import Answer

Sink = Callable[[bytes], None]
FrameHandler = Callable[[str, bytes], None]
Frame = tuple[str, bytes]
PORT_READ = 1 << 20  # bytes per read of the console port
STDIN_CHUNK = 65535  # the largest stdin frame
DRAIN_TIMEOUT = 10.0  # after the guest ended: how long its last output may take to arrive


class Timeout(TimeoutError):
    """The guest did not answer (or power off) before the deadline."""


class GuestStopped(RuntimeError):
    """The guest ended (or panicked) while an answer was awaited."""


class Console:
    """Reads the UART of ``machine``; program stdout/stderr go to the sinks (dropped when a
    sink is None), every other frame to the caller, in order."""

    def __init__(self, machine: Machine, *, stdout: Sink | None = None,
                 stderr: Sink | None = None) -> None:
        self.machine = machine
        self.demux = Demux()
        self.sinks = {"1": stdout, "2": stderr}
        self._fd = machine.stdout.fileno()
        self._port = machine.port
        self._port_demux = Demux()
        self._frames: deque[Frame] = deque()
        self._ended = False

    @property
    def noise(self) -> bytes:
        """What the firmware printed before the kernel's first frame."""
        return bytes(self.demux.noise)

    def next(self, deadline: float | None = None) -> Frame | None:
        """The next frame that is not program output; None once the stream has ended.
        Raises Timeout when ``deadline`` (time.monotonic()) passes first."""
        while True:
            while self._frames:
                channel, payload = self._frames.popleft()
                if channel in self.sinks:
                    sink = self.sinks[channel]
                    if sink is not None:
                        sink(payload)
                    continue
                return channel, payload
            if self._ended:
                return None
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0:
                raise Timeout("the guest did not answer in time")
            port = [] if self._port is None else [self._port]
            try:
                ready = select.select([self._fd, *port], [], [], wait)[0]
                if self._port is not None and self._port in ready:
                    self._read_port(0)
                if self._fd not in ready:
                    continue
                data = os.read(self._fd, 65536)
            except (OSError, ValueError):  # the machine was shut down under us
                data = b""
            # what the program wrote before these UART bytes is in the port already
            self._drain_port(final=not data)
            if not data:
                self._ended = True
            self._frames.extend(self.demux.feed(data))

    def _read_port(self, flags: int) -> bool:
        """One read of the console port into the frame queue; False when nothing came (or it
        ended: it is then forgotten)."""
        assert self._port is not None
        try:
            data = self._port.recv(PORT_READ, flags)
        except BlockingIOError:
            return False
        except OSError:
            data = b""
        if not data:
            self._port = None
            return False
        # '@' on the port names the program whose output follows; '>' keeps it apart from the
        # UART's '@' (which names the sender of answers) once both streams share the queue
        self._frames.extend((">" if ch == "@" else ch, payload)
                            for ch, payload in self._port_demux.feed(data))
        return True

    def _drain_port(self, final: bool) -> None:
        """Everything the port holds now; ``final`` (the guest is gone): up to its end."""
        if not final:
            while self._port is not None and self._read_port(socket.MSG_DONTWAIT):
                pass
            return
        end = time.monotonic() + DRAIN_TIMEOUT
        while self._port is not None and time.monotonic() < end:
            try:
                if select.select([self._port], [], [], end - time.monotonic())[0]:
                    self._read_port(0)
            except (OSError, ValueError):  # closed under us (Machine.shutdown)
                self._port = None

    def frames(self, deadline: float | None = None) -> Iterator[Frame]:
        """Every frame that is not program output, until the stream ends."""
        while (frame := self.next(deadline)) is not None:
            yield frame

    def answer(self, timeout: float) -> Answer:
        """The answer to the line just sent: the next R, T or L frame, parsed. A panic or the
        end of the stream raises GuestStopped; no answer in ``timeout`` seconds, Timeout."""
        from .answers import parse_answer

        deadline = time.monotonic() + timeout
        for channel, payload in self.frames(deadline):
            if channel in ANSWERS:
                return parse_answer(channel, payload)
            if channel == "P":
                raise GuestStopped(payload.decode(errors="replace"))
        raise GuestStopped("the guest stopped")

    def follow(self, on_frame: FrameHandler) -> threading.Thread:
        """Hand every frame to ``on_frame`` from a daemon thread, until the stream ends."""

        def loop() -> None:
            for channel, payload in self.frames():
                on_frame(channel, payload)

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        return thread

    def send(self, script: Script) -> None:
        """Command lines to a guest in interactive mode."""
        self._write(script.text().encode())

    def _write(self, data: bytes) -> None:
        sink = self.machine.proc.stdin  # type: ignore[union-attr]
        sink.write(data)
        sink.flush()

    def pump_stdin(self, source: BinaryIO) -> None:
        """Copy ``source`` to the program's fd 0 as stdin frames on the console port (empty =
        end of file). The socket holds what the guest has not asked for yet, so this may
        start before the guest runs."""
        port = self.machine.port
        read = _raw_reader(source)
        try:
            while True:
                chunk = read()
                port.sendall(stdin_frame(chunk))  # type: ignore[union-attr]
                if not chunk:
                    return
        except (OSError, ValueError, AttributeError):
            return  # the guest is gone; nothing more to deliver


def _raw_reader(source: BinaryIO) -> Callable[[], bytes]:
    """What the stdin pump reads with: the file descriptor itself where there is one. The
    pump is a daemon thread, and one blocked inside a BufferedReader's read holds that reader's
    lock: at interpreter shutdown CPython then aborts ("could not acquire lock for
    <_io.BufferedReader name='<stdin>'>", found by the robustness fuzzer). os.read takes no lock."""
    try:
        fd = source.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    if fd is not None:
        return lambda: os.read(fd, STDIN_CHUNK)
    if hasattr(source, "read1"):
        return lambda: source.read1(STDIN_CHUNK)
    return lambda: source.read(STDIN_CHUNK)


def boot(image: Path | Image, script: Script | None, on_frame: FrameHandler, *,
         timeout: float | None = None, extra_args: list[str] | None = None,
         stdin: BinaryIO | None = None, stdout: Sink | None = None,
         stderr: Sink | None = None, memory: str | None = None,
         firmware_console: bool = True, harts: int = 1) -> tuple[int, bytes]:
    """Run the guest to power-off, handing it ``script`` (None: the kernel's default) and
    every frame that is not program output to ``on_frame``; returns (QEMU exit status,
    firmware noise). ``stdin``, if given, is forwarded to the program's fd 0. Raises Timeout
    when ``timeout`` seconds pass first; QEMU is gone either way. ``memory``: guest RAM
    (QEMU's -m), by default what the image's memories can reach (Machine).
    ``firmware_console``: False, and the firmware prints nothing (the noise is empty)."""
    text = None if script is None else script.text()
    # No QMP: nothing is asked of QEMU between its start and the guest's power-off.
    with Machine(image, text, memory=memory, extra_args=extra_args,
                 stdin=stdin is not None, qmp=False, firmware_console=firmware_console,
                 harts=harts) as m:
        console = Console(m, stdout=stdout, stderr=stderr)
        if stdin is not None:
            threading.Thread(target=console.pump_stdin, args=(stdin,), daemon=True).start()
        deadline = None if timeout is None else time.monotonic() + timeout
        for channel, payload in console.frames(deadline):
            on_frame(channel, payload)
        status = m.wait(timeout=10)
        if not console.demux.started and (error := m.startup_error()):
            raise RuntimeError(f"QEMU did not start: {error}")
    return status, console.noise


def run_script(image: Path, script: Script, timeout: float,
               memory: str | None = None) -> tuple[list[Answer], str | None]:
    """Run ``script`` with `continue-on-trap` to the end: every answer in order, and why the
    guest stopped early, if it did (a timeout, a panic, a non-zero exit status)."""
    from .answers import parse_answer

    answers: list[Answer] = []
    trouble: list[str] = []

    def on_frame(channel: str, payload: bytes) -> None:
        if channel in ANSWERS:
            answers.append(parse_answer(channel, payload))
        elif channel == "P":
            trouble.append(payload.decode(errors="replace").splitlines()[0])

    try:
        status, _ = boot(image, Script().continue_on_trap().extend(script), on_frame,
                         timeout=timeout, memory=memory)
    except Timeout:
        return answers, f"guest timed out after {timeout:.0f} s"
    if trouble:
        return answers, trouble[0]
    return answers, None if status == 0 else f"guest exited with status {status}"
