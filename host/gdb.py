"""A small client of QEMU's gdbstub (the GDB remote serial protocol), for breakpoints,
registers and memory of the guest CPU.

Why our own: the few packets we need ('?', 'g', 'p', 'm', 'Z0'/'z0', 'c', Ctrl-C and
'qXfer:features:read') fit in a page, while the maintained Python options either wrap a gdb
process (pygdbmi) or target other stubs. Packets are ``$payload#checksum``, acknowledged with
``+``; memory addresses are the CPU's virtual addresses (QEMU translates them with the current
satp).

Registers beyond the 33 of 'g' (vector registers, CSRs such as sstatus) are numbered by the
stub's target description, as gdb numbers them: its features in order, each register the next
number unless it gives its own `regnum`.
"""

from __future__ import annotations

import re
import socket
import time

RISCV_REGS = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2",
              "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
              "s10", "s11", "t3", "t4", "t5", "t6", "pc"]


class GdbError(Exception):
    """The stub answered with an error or not at all."""


class Disconnected(GdbError):
    """The connection to the stub broke: QEMU is gone (killed, or crashed)."""


class GdbClient:
    def __init__(self, path: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise GdbError("cannot connect to QEMU's gdbstub") from None
                time.sleep(0.02)
        self.sock.settimeout(timeout)
        self.buf = b""
        self._regmap: dict[str, tuple[int, int]] | None = None

    def close(self) -> None:
        self.sock.close()

    def _read_packet(self, timeout: float | None) -> str:
        self.sock.settimeout(timeout)
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start) if start >= 0 else -1
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                payload = self.buf[start + 1:end]
                self.buf = self.buf[end + 3:]
                self._send(b"+")
                return payload.decode()
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                raise GdbError("the gdbstub did not answer") from None
            except OSError as e:
                raise Disconnected(f"QEMU's gdbstub connection broke ({e.strerror})") from None
            if not data:
                raise Disconnected("QEMU closed the gdbstub connection")
            self.buf += data

    def _send(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError as e:  # BrokenPipeError, ConnectionResetError: QEMU is gone
            raise Disconnected(f"QEMU's gdbstub connection broke ({e.strerror})") from None

    def request(self, payload: str, timeout: float | None = 10) -> str:
        checksum = sum(payload.encode()) & 0xFF
        self._send(f"${payload}#{checksum:02x}".encode())
        return self._read_packet(timeout)

    def registers(self) -> dict[str, int]:
        raw = self.request("g")
        if raw.startswith("E"):
            raise GdbError(f"cannot read registers ({raw})")
        values = [int.from_bytes(bytes.fromhex(raw[i:i + 16]), "little")
                  for i in range(0, 33 * 16, 16)]
        return dict(zip(RISCV_REGS, values, strict=True))

    def target_description(self, annex: str = "target.xml") -> str:
        """One file of the stub's target description (qXfer, read in pieces)."""
        text, offset = "", 0
        while True:
            raw = self.request(f"qXfer:features:read:{annex}:{offset:x},7ff")
            if not raw or raw[0] not in "ml":
                raise GdbError(f"cannot read the target description {annex} ({raw[:40]})")
            text += raw[1:]
            offset += len(raw) - 1
            if raw[0] == "l":
                return text

    def register_map(self) -> dict[str, tuple[int, int]]:
        """Name → (gdb register number, bits) of every register the stub describes."""
        if self._regmap is None:
            regs: dict[str, tuple[int, int]] = {}
            number = 0
            top = self.target_description()
            for annex in re.findall(r'<xi:include href="([^"]+)"', top):
                for tag in re.findall(r"<reg\b[^>]*>", self.target_description(annex)):
                    attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
                    number = int(attrs.get("regnum", number))
                    regs[attrs["name"]] = (number, int(attrs["bitsize"]))
                    number += 1
            self._regmap = regs
        return self._regmap

    def read_register(self, name: str) -> int:
        """A register by its name in the target description ('v8', 'vl', 'sstatus')."""
        regmap = self.register_map()
        if name not in regmap:
            raise GdbError(f"the CPU has no register {name}")
        raw = self.request(f"p{regmap[name][0]:x}")
        if not raw or raw.startswith("E"):
            raise GdbError(f"cannot read register {name} ({raw})")
        return int.from_bytes(bytes.fromhex(raw), "little")

    def read_memory(self, addr: int, length: int) -> bytes:
        out = b""
        while length > 0:
            n = min(length, 2048)
            raw = self.request(f"m{addr:x},{n:x}")
            if raw.startswith("E") or not raw:
                raise GdbError(f"cannot read memory at {addr:#x}")
            chunk = bytes.fromhex(raw)
            out += chunk
            addr += len(chunk)
            length -= len(chunk)
        return out

    def write_physical(self, addr: int, data: bytes) -> None:
        """Bytes at a physical address (QEMU's `Qqemu.PhyMemMode`: accesses bypass the CPU's
        page tables while it is set)."""
        if self.request("Qqemu.PhyMemMode:1") != "OK":
            raise GdbError("the gdbstub cannot access physical memory")
        try:
            if self.request(f"M{addr:x},{len(data):x}:{data.hex()}") != "OK":
                raise GdbError(f"cannot write memory at {addr:#x}")
        finally:
            self.request("Qqemu.PhyMemMode:0")

    def read_u64(self, addr: int) -> int:
        return int.from_bytes(self.read_memory(addr, 8), "little")

    def set_breakpoint(self, addr: int) -> None:
        if self.request(f"Z0,{addr:x},4") != "OK":
            raise GdbError(f"cannot set a breakpoint at {addr:#x}")

    def clear_breakpoint(self, addr: int) -> None:
        self.request(f"z0,{addr:x},4")

    def step(self) -> str:
        """One instruction; returns the stop reply."""
        return self.request("s")

    def cont(self) -> None:
        """Resume without waiting for the stop reply (see wait_stop)."""
        self._send(b"$c#63")

    def wait_stop(self, timeout: float | None) -> str:
        return self._read_packet(timeout)

    def interrupt(self) -> str:
        self._send(b"\x03")
        return self._read_packet(10)
