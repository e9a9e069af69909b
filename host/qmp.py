"""A synchronous QMP client, just what `Machine` needs: we listen on a unix socket, QEMU
connects to it (`-qmp unix:PATH`), and each command is one JSON line answered by one
`return` or `error` (events in between are skipped).

Why not qemu.qmp: its asyncio client costs a plain `osbuild run` ~90 ms of imports (asyncio,
ssl, logging) for the two commands a run sends (`cont`, `quit`); issue 14.
"""

from __future__ import annotations

import json
import socket

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (issue 14)
if TYPE_CHECKING:
    from typing import Any


class QMPError(RuntimeError):
    """QEMU answered a command with an error (its `desc`)."""


class QMP:
    def __init__(self, path: str) -> None:
        self._listener: socket.socket | None = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(path)
        self._listener.listen(1)
        self._sock: socket.socket | None = None
        self._buf = b""

    def accept(self, timeout: float) -> None:
        """Wait for QEMU to connect, then read its greeting and leave negotiation mode."""
        assert self._listener is not None
        self._listener.settimeout(timeout)
        self._sock, _ = self._listener.accept()
        self._listener.close()
        self._listener = None
        self._sock.settimeout(timeout)
        if "QMP" not in self._read():
            raise QMPError("no QMP greeting")
        self.cmd("qmp_capabilities")

    def settimeout(self, timeout: float) -> None:
        if self._sock is not None:
            self._sock.settimeout(timeout)

    def _read(self) -> dict[str, Any]:
        assert self._sock is not None
        while b"\n" not in self._buf:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise QMPError("QEMU closed the QMP connection")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name: str, **args: Any) -> Any:
        """Send one command; its `return` value, or QMPError."""
        assert self._sock is not None
        msg: dict[str, Any] = {"execute": name}
        if args:
            msg["arguments"] = args
        self._sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            answer = self._read()
            if "return" in answer:
                return answer["return"]
            if "error" in answer:
                raise QMPError(answer["error"].get("desc", str(answer["error"])))

    def close(self) -> None:
        for sock in (self._sock, self._listener):
            if sock is not None:
                sock.close()
        self._sock = self._listener = None
