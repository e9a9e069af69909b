"""The embedding API on the host: Wasmtime's Store / Instance / Func model, driving a live
guest. A `Store` owns one QEMU machine (a context manager); each call is one command line on
the guest's UART and one answer frame back, with arguments and results checked against the
export's signature from the image's metadata.

    with Store(image) as store:
        fib = store.instantiate(0).exports["fib"]
        assert fib(10) == 55
"""

from __future__ import annotations

import os
import select
import struct
import time
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import Any

from osbuild.errors import UserError

from .console import Demux
from .machine import Machine
from .traps import Trap as TrapReport
from .traps import image_metadata
from .values import TYPES

Value = int | float | None


class Trap(Exception):
    """A wasm trap raised by a call; ``report`` has the code, pc and frames."""

    def __init__(self, report: TrapReport) -> None:
        super().__init__(f"wasm trap: {report.message}")
        self.report = report


class LinkError(Exception):
    """The guest could not instantiate (imports) or call (unknown export)."""


def to_bits(value: Value, letter: str) -> int:
    t = TYPES[letter]
    if t in ("funcref", "externref"):
        if value is None:
            return 0
        if not isinstance(value, int):
            raise TypeError(f"expected an int handle or None for {t}")
        return value
    if t in ("i32", "i64"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"expected int for {t}, got {type(value).__name__}")
        bits = 32 if t == "i32" else 64
        if not -(1 << (bits - 1)) <= value < (1 << bits):
            raise ValueError(f"{value} is out of range for {t}")
        return value & ((1 << bits) - 1)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError(f"expected float for {t}, got {type(value).__name__}")
    if t == "f32":
        return struct.unpack("<I", struct.pack("<f", value))[0]
    return struct.unpack("<Q", struct.pack("<d", value))[0]


def from_bits(token: str) -> Value:
    t, hexbits = token.split(":", 1)
    bits = int(hexbits, 16)
    if t == "i32":
        return bits - (1 << 32) if bits >> 31 else bits
    if t == "i64":
        return bits - (1 << 64) if bits >> 63 else bits
    if t == "f32":
        return struct.unpack("<f", struct.pack("<I", bits))[0]
    if t == "f64":
        return struct.unpack("<d", struct.pack("<Q", bits))[0]
    return None if bits == 0 else bits


class Func:
    """A typed exported function of an instance."""

    def __init__(self, instance: Instance, name: str, sig: str) -> None:
        self.instance, self.name, self.sig = instance, name, sig
        self.params, self.results = sig.split(":")

    def __call__(self, *args: Value) -> Any:
        if len(args) != len(self.params):
            raise TypeError(f"{self.name} takes {len(self.params)} argument(s), got {len(args)}")
        bits = [to_bits(a, p) for a, p in zip(args, self.params, strict=True)]
        payload = self.instance.store.command(
            f"invoke {self.instance.id:x} {self.name.encode().hex() or '-'} "
            + " ".join(f"{b:x}" for b in bits))
        values = [from_bits(tok) for tok in payload.split()]
        if len(values) != len(self.results):
            raise RuntimeError(f"{self.name}: expected {len(self.results)} results")
        return values[0] if len(values) == 1 else (tuple(values) if values else None)


class Instance:
    def __init__(self, store: Store, instance_id: int, meta: dict[str, Any]) -> None:
        self.store, self.id, self.meta = store, instance_id, meta
        self.exports = {e["name"]: Func(self, e["name"], e["sig"])
                        for e in meta["exports"] if e["kind"] == "func"}

    def global_value(self, name: str) -> Value:
        return from_bits(self.store.command(f"get {self.id:x} {name.encode().hex() or '-'}"))


class Store:
    """One live guest; instances created in it share its address space."""

    def __init__(self, image: Path, *, timeout: float = 60) -> None:
        self.image = Path(image)
        self.metas = image_metadata(self.image)
        if not self.metas:
            raise UserError(f"{image} is not an osbuild image")
        self.timeout = timeout
        self.stdout = bytearray()
        self.stderr = bytearray()
        self._frames: deque[tuple[str, bytes]] = deque()
        self._demux = Demux()
        self._machine: Machine | None = None
        self._next_id = 0

    def __enter__(self) -> Store:
        self._machine = Machine(self.image, "interactive\n", stdin=True)
        self._machine.launch()
        self._machine.cont()
        self._answer()  # the guest says it is ready
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._machine is not None:
            try:
                self._machine.send("quit")
                self._machine.wait(timeout=5)
            except Exception:  # noqa: BLE001 - shutdown below cleans up regardless
                pass
            self._machine.shutdown()
            self._machine = None

    def instantiate(self, module: int = 0) -> Instance:
        inst = Instance(self, self._next_id, self.metas[module])
        self._next_id += 1
        self.command(f"instantiate {module:x}")
        return inst

    def command(self, line: str) -> str:
        """Send one command; the R payload, or Trap / LinkError."""
        assert self._machine is not None, "use Store as a context manager"
        self._machine.send(line)
        channel, payload = self._answer()
        if channel == "T":
            raise Trap(TrapReport.parse(payload))
        if channel == "L":
            raise LinkError(payload.decode(errors="replace"))
        return payload.decode()

    def _answer(self) -> tuple[str, bytes]:
        assert self._machine is not None
        deadline = time.monotonic() + self.timeout
        fd = self._machine.stdout.fileno()
        while True:
            while self._frames:
                channel, payload = self._frames.popleft()
                if channel == "1":
                    self.stdout += payload
                elif channel == "2":
                    self.stderr += payload
                elif channel in "RTL":
                    return channel, payload
                elif channel == "P":
                    raise RuntimeError(payload.decode(errors="replace"))
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("the guest did not answer")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                data = os.read(fd, 65536)
                if not data:
                    raise RuntimeError("the guest stopped")
                self._frames.extend(self._demux.feed(data))
