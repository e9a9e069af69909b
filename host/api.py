"""The embedding API on the host: Wasmtime's Store / Instance / Func model, driving a live
guest. A `Store` owns one QEMU machine (a context manager); each call is one command line on
the guest's UART and one answer frame back (host/console.py, request → answer), with
arguments and results checked against the export's signature from the image's metadata.

    with Store(image) as store:
        fib = store.instantiate(0).exports["fib"]
        assert fib(10) == 55

Errors of the API itself: `NoSuchModule` for a module index the image does not have,
`StoreTimeout` (a TimeoutError) when the guest does not answer a call in ``timeout`` seconds.
The guest cannot be interrupted in the middle of a call, so a timeout stops its machine and
the Store is closed: every later call raises `StoreClosed` saying so (create a new Store).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from . import values
from .answers import LinkReport, TrapReport
from .console import Console, GuestStopped, Timeout
from .image import Image
from .machine import Machine
from .protocol import Script
from .values import PyValue


class WasmTrap(Exception):
    """A wasm trap raised by a call; ``report`` has the code, pc and frames."""

    def __init__(self, report: TrapReport) -> None:
        super().__init__(f"wasm trap: {report.message}")
        self.report = report


class GuestLinkError(Exception):
    """The guest could not instantiate (imports) or call (unknown export): its `L` answer."""


class NoSuchModule(IndexError):
    """``Store.instantiate(index)`` with an index the image has no module for."""


class StoreTimeout(TimeoutError):
    """The guest did not answer a call in time; the Store has been closed."""


class StoreClosed(RuntimeError):
    """A call on a Store that is closed (after `close`, a timeout, or the guest stopping)."""


class Func:
    """A typed exported function of an instance."""

    def __init__(self, instance: Instance, name: str, sig: str) -> None:
        self.instance, self.name, self.sig = instance, name, sig
        self.params, self.results = sig.split(":")

    def __call__(self, *args: PyValue) -> Any:
        if len(args) != len(self.params):
            raise TypeError(f"{self.name} takes {len(self.params)} argument(s), got {len(args)}")
        bits = [w for a, p in zip(args, self.params, strict=True)
                for w in values.slot_words(p, values.to_bits(p, a))]
        results = self.instance.store.command(Script().invoke(self.instance.id, self.name, bits))
        if len(results) != len(self.results):
            raise RuntimeError(f"{self.name}: expected {len(self.results)} results")
        out = [v.python for v in results]
        return out[0] if len(out) == 1 else (tuple(out) if out else None)


class Instance:
    def __init__(self, store: Store, instance_id: int, meta: dict[str, Any]) -> None:
        self.store, self.id, self.meta = store, instance_id, meta
        self.exports = {e["name"]: Func(self, e["name"], e["sig"])
                        for e in meta["exports"] if e["kind"] == "func"}

    def global_value(self, name: str) -> PyValue:
        results = self.store.command(Script().get(self.id, name))
        return results[0].python if results else None


class Store:
    """One live guest; instances created in it share its address space."""

    def __init__(self, image: Image | Path | str, *, timeout: float = 60) -> None:
        self.image = image if isinstance(image, Image) else Image(image)
        self.image.module(0)  # a UserError now if it is no osbuild image
        self.timeout = timeout
        self.stdout = bytearray()
        self.stderr = bytearray()
        self._machine: Machine | None = None
        self._console: Console | None = None
        self._next_id = 0
        self._closed_why = "the Store is not open: use it as a context manager"

    def __enter__(self) -> Store:
        self._machine = Machine(self.image.path, Script().interactive().text(), stdin=True)
        self._closed_why = "the Store is not open: use it as a context manager"
        self._machine.launch()
        self._console = Console(self._machine, stdout=self.stdout.extend,
                                stderr=self.stderr.extend)
        self._machine.cont()
        try:
            self._console.answer(self.timeout)  # the guest says it is ready
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._machine is not None:
            try:
                assert self._console is not None
                self._console.send(Script().quit())
                self._machine.wait(timeout=5)
            except Exception:  # noqa: BLE001 - shutdown below cleans up regardless
                pass
            self._machine.shutdown()
            self._machine = self._console = None
            self._closed_why = "the Store was closed"

    def instantiate(self, module: int = 0) -> Instance:
        count = len(self.image.metadata)
        if not 0 <= module < count:
            raise NoSuchModule(f"{self.image.path} has {count} module(s) (0..{count - 1}), "
                               f"not module {module}")
        inst = Instance(self, self._next_id, self.image.module(module))
        self._next_id += 1
        self.command(Script().instantiate(module))
        return inst

    def command(self, script: Script) -> list[values.Value]:
        """Send one command line; its results, or WasmTrap / GuestLinkError. A guest that does
        not answer in time, or stops, closes the Store (StoreTimeout / StoreClosed)."""
        if self._console is None:
            raise StoreClosed(self._closed_why)
        assert script.answers == 1, "one answered line at a time"
        try:
            self._console.send(script)
            answer = self._console.answer(self.timeout)
        except Timeout:
            self.close()
            self._closed_why = (f"the Store was closed: a call did not return within "
                                f"{self.timeout:g} s and the guest cannot be interrupted")
            raise StoreTimeout(f"no answer within {self.timeout:g} s; the Store is closed "
                               "(its guest was stopped)") from None
        except (GuestStopped, OSError) as e:  # OSError: the line to a QEMU that is gone
            self.close()
            self._closed_why = f"the Store was closed: the guest stopped ({e})"
            raise StoreClosed(self._closed_why) from None
        if isinstance(answer, TrapReport):
            raise WasmTrap(answer)
        if isinstance(answer, LinkReport):
            raise GuestLinkError(answer.message)
        return answer.values
