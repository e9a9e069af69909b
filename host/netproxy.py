"""NetProxy: the host side of `osbuild run --tcplisten HOST:PORT` (guest/netport.c).

The host owns the TCP sockets: it listens on the address, accepts connections and forwards
each one's bytes to the guest over port 2 of the stdio virtio-serial device, framed and
multiplexed by connection id (no TCP/IP stack in the guest). Frames, both ways:
``0x1E, type, id_lo, id_hi, len_lo, len_hi, payload``; the types are listed in netport.c.

Both directions are credit-controlled per connection, so one slow or greedy connection never
holds the shared port: the guest grants its receive window when the program accepts the
connection and again as the program reads; the host grants SEND_WINDOW at accept and again
as it writes the guest's bytes out. Everything runs in one thread on non-blocking sockets;
what waits for the port or a client is bounded by those windows. QEMU connects to our Unix
socket as the port's backend at start; when QEMU ends, the port ends and so does this thread,
closing every socket.

The listening socket is the descriptor after the `--dir` preopens (3 + their number).
wasmtime gives it fd 3 and the directories the numbers after it, but wasi-libc finds the
preopened directories by asking fd_prestat_get of 3, 4, ... until the first EBADF, which a
socket answers: a wasi-libc program then sees none of its directories (wasmtime issue 3936,
open; the fix proposed there, directories first, is what we do).
"""

from __future__ import annotations

import errno
import selectors
import socket
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path

from osbuild.errors import UsageError, UserError
from osbuild.tmpdirs import private_dir

MARK = 0x1E
HEADER = struct.Struct("<BBHH")
MAX_CONNS = 128  # the guest's connection table (NET_CONNS in guest/netport.h)
SEND_WINDOW = 256 * 1024  # bytes of the guest's we hold unwritten per connection, at most
READ_CHUNK = 65535  # the largest frame payload
PORT_BUFFER = 1 << 20


def parse_address(spec: str) -> tuple[str, int]:
    """HOST:PORT as wasmtime's --tcplisten takes it (an IPv6 host in brackets)."""
    host, sep, port = spec.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise UsageError(f"--tcplisten expects HOST:PORT, got {spec!r}")
    return host.strip("[]"), int(port)


def frame(kind: bytes, conn: int, payload: bytes = b"") -> bytes:
    return HEADER.pack(MARK, kind[0], conn, len(payload)) + payload


@dataclass
class Conn:
    """One client connection handed to the guest under id ``cid``."""

    cid: int
    sock: socket.socket
    credit: int = 0  # bytes the guest will take
    out: bytearray = field(default_factory=bytearray)  # from the guest, not yet written
    reading: bool = True  # the client has not ended its stream
    shut_wr: bool = False  # the guest ended its stream: shutdown once `out` is written
    closing: bool = False  # the guest closed it: close once `out` is written
    dead: bool = False  # the client's socket failed


class NetProxy:
    """Listens on ``address`` (bound at once, so a bad address fails before QEMU starts)."""

    def __init__(self, address: str) -> None:
        host, port = parse_address(address)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            family, _, _, _, addr = infos[0]
            self.listener = socket.socket(family, socket.SOCK_STREAM)
            self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.listener.bind(addr)
            self.listener.listen(256)
        except OSError as e:
            raise UserError(f"--tcplisten {address}: cannot listen: {e.strerror or e}") from None
        self.listener.setblocking(False)
        self._tmp = private_dir("net")
        self.path = Path(self._tmp.name) / "net.sock"
        self._backend = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._backend.bind(str(self.path))
        self._backend.listen(1)
        self.port: socket.socket | None = None
        self.conns: dict[int, Conn] = {}
        self._port_out = bytearray()
        self._port_in = bytearray()
        self._sel = selectors.DefaultSelector()
        self._thread: threading.Thread | None = None
        self._stop_r, self._stop_w = socket.socketpair()

    def qemu_args(self) -> list[str]:
        """Port 2 of the stdio virtio-serial device (host/machine.py), backed by our socket."""
        return ["-chardev", f"socket,id=osbnet,path={self.path}",
                "-device", "virtserialport,chardev=osbnet,nr=2,name=osb.net"]

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the thread and close every socket (the listener included)."""
        try:
            self._stop_w.send(b"x")
        except OSError:
            pass
        if self._thread is not None:
            self._thread.join(timeout=10)
        for c in list(self.conns.values()):
            c.sock.close()
        self.conns.clear()
        for s in (self.listener, self._backend, self.port, self._stop_r, self._stop_w):
            if s is not None:
                s.close()
        self._sel.close()
        self._tmp.cleanup()

    # --- the loop --------------------------------------------------------------------------

    def _run(self) -> None:
        self._sel.register(self._stop_r, selectors.EVENT_READ, "stop")
        self._sel.register(self._backend, selectors.EVENT_READ, "backend")
        try:
            while True:
                for key, events in self._sel.select():
                    if key.data == "stop":
                        return
                    if not self._handle(key.data, events):
                        return
                self._update()
        except OSError:
            return

    def _handle(self, what: object, events: int) -> bool:
        if what == "backend":
            self.port, _ = self._backend.accept()
            self.port.setblocking(False)
            for opt in (socket.SO_SNDBUF, socket.SO_RCVBUF):
                self.port.setsockopt(socket.SOL_SOCKET, opt, PORT_BUFFER)
            self._sel.unregister(self._backend)
            self._sel.register(self.port, selectors.EVENT_READ, "port")
            return True
        if what == "port":
            return self._port_events(events)
        if what == "listen":
            self._accept()
            return True
        assert isinstance(what, Conn)
        if self.conns.get(what.cid) is not what:
            return True  # dropped earlier in this round
        if events & selectors.EVENT_WRITE:
            self._flush(what)
        if events & selectors.EVENT_READ and self.conns.get(what.cid) is what:
            self._read_client(what)
        return True

    def _port_events(self, events: int) -> bool:
        assert self.port is not None
        if events & selectors.EVENT_WRITE and self._port_out:
            n = self.port.send(self._port_out)
            del self._port_out[:n]
        if events & selectors.EVENT_READ:
            data = self.port.recv(PORT_BUFFER)
            if not data:
                return False  # QEMU is gone
            self._port_in += data
            self._parse()
        return True

    def _send_guest(self, data: bytes) -> None:
        self._port_out += data

    def _accept(self) -> None:
        while len(self.conns) < MAX_CONNS:
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as e:
                if e.errno in (errno.ECONNABORTED, errno.EPROTO):
                    continue
                raise
            sock.setblocking(False)
            cid = next(i for i in range(MAX_CONNS) if i not in self.conns)
            conn = Conn(cid, sock)
            self.conns[cid] = conn
            self._send_guest(frame(b"A", cid, struct.pack("<I", SEND_WINDOW)))

    def _read_client(self, c: Conn) -> None:
        try:
            data = c.sock.recv(min(c.credit, READ_CHUNK))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._fail(c)
            return
        if not data:
            c.reading = False
            self._send_guest(frame(b"E", c.cid))
            return
        c.credit -= len(data)
        self._send_guest(frame(b"D", c.cid, data))

    def _fail(self, c: Conn) -> None:
        """The client's connection broke: the guest hears it once; its bytes are dropped."""
        if not c.dead:
            c.dead, c.reading = True, False
            c.out.clear()
            self._send_guest(frame(b"R", c.cid))
        if c.closing:
            self._drop(c)

    def _flush(self, c: Conn) -> None:
        if c.out and not c.dead:
            try:
                n = c.sock.send(c.out)
            except (BlockingIOError, InterruptedError):
                n = 0
            except OSError:
                self._fail(c)
                return
            del c.out[:n]
            if n:
                self._send_guest(frame(b"C", c.cid, struct.pack("<I", n)))
        if not c.out:
            if c.closing:
                self._drop(c)
            elif c.shut_wr:
                try:
                    c.sock.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

    def _drop(self, c: Conn) -> None:
        """The guest closed it and everything is written: close it, free the id."""
        self.conns.pop(c.cid, None)
        try:
            self._sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        c.sock.close()

    def _parse(self) -> None:
        buf = self._port_in
        pos = 0
        while len(buf) - pos >= HEADER.size:
            if buf[pos] != MARK:
                pos += 1
                continue
            _, kind, cid, length = HEADER.unpack_from(buf, pos)
            if len(buf) - pos - HEADER.size < length:
                break
            payload = bytes(buf[pos + HEADER.size:pos + HEADER.size + length])
            pos += HEADER.size + length
            c = self.conns.get(cid)
            if c is not None:
                self._guest_frame(c, chr(kind), payload)
        del buf[:pos]

    def _guest_frame(self, c: Conn, kind: str, payload: bytes) -> None:
        if kind == "D":
            if not c.dead:
                c.out += payload
                self._flush(c)
            else:  # nobody will write them: the credit comes back at once
                self._send_guest(frame(b"C", c.cid, struct.pack("<I", len(payload))))
        elif kind == "C":
            c.credit += struct.unpack("<I", payload)[0]
        elif kind == "E":
            c.shut_wr = True
            self._flush(c)
        elif kind == "X":
            c.closing = True
            if c.dead or not c.out:
                self._drop(c)
            else:
                self._flush(c)

    def _update(self) -> None:
        """Watch what can move: clients we may read (credit) or must write to, the port when
        it has bytes for the guest, the listener while the guest's table has room."""
        for c in self.conns.values():
            mask = 0
            if c.reading and c.credit > 0 and not c.dead:
                mask |= selectors.EVENT_READ
            if c.out and not c.dead:
                mask |= selectors.EVENT_WRITE
            key = self._sel.get_map().get(c.sock)
            if key is None and mask:
                self._sel.register(c.sock, mask, c)
            elif key is not None and not mask:
                self._sel.unregister(c.sock)
            elif key is not None and key.events != mask:
                self._sel.modify(c.sock, mask, c)
        listening = self.listener in self._sel.get_map()
        if self.port is not None and listening != (len(self.conns) < MAX_CONNS):
            if listening:
                self._sel.unregister(self.listener)
            else:
                self._sel.register(self.listener, selectors.EVENT_READ, "listen")
        if self.port is not None:
            mask = selectors.EVENT_READ | (selectors.EVENT_WRITE if self._port_out else 0)
            if self._sel.get_key(self.port).events != mask:
                self._sel.modify(self.port, mask, "port")
