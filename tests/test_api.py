"""The host embedding API (Store / Instance / Func) against a live guest."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, qemu_processes

from osbuild.host.api import (
    GuestLinkError,
    NoSuchModule,
    Store,
    StoreClosed,
    StoreTimeout,
    WasmTrap,
)
from osbuild.host.pipeline import build_files
from osbuild.host.protocol import Script

pytestmark = pytest.mark.qemu


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    paths = [EXAMPLES / n for n in ("memory.wat", "fib.wat", "hello.wat", "traps.wat")]
    return build_files(paths, tmp_path_factory.mktemp("api") / "api.elf")


def test_typed_calls_keep_instance_state(image: Path) -> None:
    with Store(image) as store:
        mem = store.instantiate(0)
        assert mem.exports["sum"](100) == 5050
        assert mem.exports["roundtrip"](8, -7) == -7
        assert [mem.exports["count"]() for _ in range(3)] == [1, 2, 3]
        fib = store.instantiate(1).exports["fib"]
        assert [fib(n) for n in (0, 1, 10, 25)] == [0, 1, 55, 75025]


def test_argument_types_are_checked_on_the_host(image: Path) -> None:
    with Store(image) as store:
        fib = store.instantiate(1).exports["fib"]
        with pytest.raises(TypeError):
            fib(1.5)
        with pytest.raises(TypeError):
            fib()
        with pytest.raises(ValueError):
            fib(1 << 40)


def test_trap_raises_and_the_instance_survives(image: Path) -> None:
    with Store(image) as store:
        mem = store.instantiate(0)
        mem.exports["poke"](16, 1234)
        with pytest.raises(WasmTrap) as err:
            mem.exports["wild"]()
        assert err.value.report.message == "out of bounds memory access"
        assert mem.exports["peek"](16) == 1234
        traps = store.instantiate(3)
        with pytest.raises(WasmTrap, match="integer divide by zero"):
            traps.exports["div_zero"](0)


def test_host_output_and_unknown_exports(image: Path) -> None:
    with Store(image) as store:
        hello = store.instantiate(2)
        hello.exports["_start"]()
        assert bytes(store.stdout) == b"Hello from WebAssembly on RISC-V!\n42\n"
        with pytest.raises(GuestLinkError, match="unknown function export"):
            store.command(Script().invoke(0, "nope"))
    assert qemu_processes() == []


def test_bad_module_index_is_a_documented_error(image: Path) -> None:
    with Store(image) as store:
        for bad in (4, -1, 100):
            with pytest.raises(NoSuchModule, match=r"has 4 module\(s\)"):
                store.instantiate(bad)
        assert store.instantiate(1).exports["fib"](10) == 55  # the store is still usable


def test_timeout_closes_the_store_and_says_so(image: Path) -> None:
    before = qemu_processes()
    with Store(image, timeout=3) as store:
        spin = store.instantiate(3).exports["spin"]
        with pytest.raises(StoreTimeout, match="no answer within 3 s"):
            spin()
        assert qemu_processes() == before  # the stuck guest's machine is gone
        with pytest.raises(StoreClosed, match="did not return within 3 s"):
            store.instantiate(1)
    with Store(image) as store:  # a new Store works
        assert store.instantiate(1).exports["fib"](10) == 55
