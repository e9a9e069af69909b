"""Demand-paged linear memory against wasmtime: a 4 GiB initial memory runs, untouched pages
cost nothing and read as zeros, touching a page costs one page, `--max-memory` limits growth
and instantiation as wasmtime's limit does, and a guest whose RAM runs out traps with
"out of memory" (from wasm code and from a host call writing guest memory) while the kernel
stays up for the next instance in the same boot."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime
from conftest import osbuild
from difftest import fnv1a

from osbuild.abi import TRAPS
from osbuild.host.answers import Answer, Results, TrapReport
from osbuild.host.console import run_script
from osbuild.host.pipeline import build_files
from osbuild.host.protocol import Script

HERE = Path(__file__).resolve().parent / "wasm"
BIG = HERE / "bigmem.wat"  # (memory 65341 65379): 4 GiB from the start
HOG = HERE / "hog.wat"  # grows and touches memory, from wasm or through WASI random_get
OUT_OF_MEMORY = TRAPS["OUT_OF_MEMORY"].code
KERNEL_RESERVE_PAGES = 64  # guest/store.h: free pages linear memory never gets

pytestmark = pytest.mark.qemu


def wasmtime_call(path: Path, export: str, *args: int,
                  limit: int | None = None) -> tuple[wasmtime.Store, wasmtime.Instance, object]:
    """A fresh instance of ``path`` on wasmtime (memory limited to ``limit`` bytes) and the
    result of calling ``export``; a trap or instantiation error is returned as its message."""
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    if limit is not None:
        store.set_limits(memory_size=limit)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store.set_wasi(wasmtime.WasiConfig())
    try:
        instance = linker.instantiate(store, wasmtime.Module.from_file(engine, str(path)))
        func = instance.exports(store)[export]
        assert isinstance(func, wasmtime.Func)
        return store, instance, func(store, *args)
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        return store, None, str(e)  # type: ignore[return-value]


def osbuild_call(path: Path, export: str, *args: int | str, options: tuple[str, ...] = ()
                 ) -> tuple[int, str, str]:
    r = osbuild("run", *options, "--invoke", export, str(path), *map(str, args))
    return r.returncode, r.stdout.strip(), r.stderr


def test_4gib_initial_memory_runs_as_on_wasmtime() -> None:
    _, _, want = wasmtime_call(BIG, "main")
    status, out, err = osbuild_call(BIG, "main")
    assert status == 0, err
    assert out == str(want)
    _, _, trap = wasmtime_call(BIG, "past_end")
    status, _, err = osbuild_call(BIG, "past_end")
    assert "out of bounds memory access" in str(trap)
    assert status == 134 and "wasm trap: out of bounds memory access" in err


def test_max_memory_limits_growth_and_instantiation_like_wasmtime(tmp_path: Path) -> None:
    limit = 10 * 65536
    for size in (10, 11):  # grown to the limit exactly, and one page past it
        _, _, want = wasmtime_call(HOG, "touch", size, limit=limit)
        status, out, err = osbuild_call(HOG, "touch", size, options=("--max-memory", "640K"))
        assert status == 0, err
        assert out == str(want)
    big = tmp_path / "eleven.wat"
    big.write_text('(module (memory 11) (func (export "f")))')
    _, _, want = wasmtime_call(big, "f", limit=limit)
    status, _, err = osbuild_call(big, "f", options=("--max-memory", str(limit)))
    assert "exceeds memory limits" in str(want)
    assert (status, err.strip()) == (1, f"osbuild: error: {want}")


@pytest.mark.parametrize(("option", "size", "message"), [
    ("--max-memory", "lots", "--max-memory expects a size"),
    ("--guest-ram", "4M", "--guest-ram must be at least 32M"),
])
def test_bad_sizes_are_one_line_errors(option: str, size: str, message: str) -> None:
    status, _, err = osbuild_call(BIG, "main", options=(option, size))
    assert status == 2 and err.count("\n") == 1 and message in err, err


def test_guest_out_of_ram_traps_with_a_clear_message() -> None:
    status, _, err = osbuild_call(HOG, "touch", 0x8000, options=("--guest-ram", "128M"))
    assert status == 134, err
    assert "wasm trap: out of memory: no free page in the guest for linear memory" in err
    assert "Traceback" not in err and "panic" not in err


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_files([HOG, BIG], tmp_path_factory.mktemp("img") / "mem.elf")  # 0 hog, 1 big


def results(answer: Answer) -> list[str]:
    assert isinstance(answer, Results), answer
    return [v.text() for v in answer.values]


def pages(answer: Answer) -> int:
    """The page count of a `meminfo` answer."""
    assert isinstance(answer, Results) and answer.values[0].type == "i64", answer
    return answer.values[0].bits


def trap_code(answer: Answer) -> int:
    assert isinstance(answer, TrapReport), answer
    return answer.code


def test_exhausting_guest_ram_traps_and_the_kernel_stays_up(image: Path) -> None:
    """256 MiB of guest RAM, 2 GiB of memory touched: first by wasm stores (page faults from
    U-mode), then by the kernel writing a WASI buffer (page faults from S-mode, the host call
    abandoned); each store is dropped and the next instance runs in the same boot."""
    script = (Script().meminfo()
              .store(1).instantiate(0).invoke(0, "touch", [0x8000]).meminfo().drop_store(1)
              .meminfo()
              .store(2).instantiate(0).invoke(1, "touch", [16]).invoke(1, "sum", [16 << 16])
              .meminfo()
              .store(3).instantiate(0).invoke(2, "random", [0x8000]).drop_store(3).meminfo()
              .invoke(1, "sum", [16 << 16]).invoke(1, "random", [1]))
    answers, error = run_script(image, script, timeout=300, memory="256M")
    assert error is None, error
    assert len(answers) == script.answers
    free = pages(answers[0])
    assert trap_code(answers[2]) == OUT_OF_MEMORY
    assert isinstance(answers[2], TrapReport) and answers[2].addr is not None
    assert pages(answers[3]) <= 2 * KERNEL_RESERVE_PAGES  # RAM was really used up
    assert pages(answers[4]) == free  # the dropped store's pages are all back
    assert results(answers[6]) == ["16"]
    assert results(answers[7]) == ["256"]  # one byte written in each 4 KiB page
    with_store2 = pages(answers[8])
    assert trap_code(answers[10]) == OUT_OF_MEMORY  # the kernel's own access ran out
    assert pages(answers[11]) == with_store2
    assert results(answers[12]) == ["256"]  # the surviving instance is intact
    assert results(answers[13]) == ["0"]  # and WASI still works for it (errno 0)


def test_failed_first_touches_keep_the_kernel_reserve(image: Path) -> None:
    """With the guest full, first touches of 80 new 2 MiB regions of a 4 GiB memory each trap
    "out of memory" and take nothing: not even the page tables a region would need (they
    would come out of the kernel's reserve one at a time, until no store could be made)."""
    script = Script().meminfo().store(1).instantiate(1).instantiate(0)
    script.invoke(1, "touch", [0x8000]).meminfo()
    for k in range(80):
        script.invoke(0, "poke", [0x40000000 + (k << 21)])
    script.meminfo().drop_store(1).meminfo()
    answers, error = run_script(image, script, timeout=300, memory="256M")
    assert error is None, error
    assert len(answers) == script.answers
    assert trap_code(answers[3]) == OUT_OF_MEMORY
    full = pages(answers[4])
    assert full <= 2 * KERNEL_RESERVE_PAGES
    assert all(trap_code(a) == OUT_OF_MEMORY for a in answers[5:85])
    assert pages(answers[85]) == full
    assert pages(answers[86]) == pages(answers[0])  # and every page comes back


def test_a_page_costs_a_page_when_touched(image: Path) -> None:
    """Instantiating a 4 GiB memory maps none of it; each first touch maps one page (plus
    page tables for a new 2 MiB region), and reading untouched memory sees zeros."""
    script = (Script().instantiate(0).meminfo().instantiate(1).meminfo()  # the store exists
              .invoke(1, "poke", [0x40000000]).meminfo()
              .invoke(1, "poke", [0x40001000]).meminfo()
              .invoke(1, "poke", [0x40001800]).meminfo()
              .invoke(0, "grow", [15]).invoke(0, "sum", [0x100000]).meminfo())
    answers, error = run_script(image, script, timeout=120)
    assert error is None, error
    free = [pages(a) for a in answers if isinstance(a, Results) and a.values
            and a.values[0].type == "i64"]
    instantiate, first, second, same_page, summed = (
        a - b for a, b in zip(free, free[1:], strict=False))
    assert instantiate < 16  # vmctx and friends; 4 GiB would be 1,045,456 pages
    assert 1 <= first <= 4  # the page, and tables for a region never touched
    assert second == 1
    assert same_page == 0
    assert results(answers[-2]) == ["0"]  # 1 MiB never written reads as zeros
    assert 256 <= summed <= 256 + 2  # reading maps pages too: 256 of 4 KiB, and their tables


def test_memhash_of_a_sparse_memory_matches_wasmtime(image: Path) -> None:
    store, instance, _ = wasmtime_call(HOG, "touch", 16)
    memory = instance.exports(store)["memory"]
    assert isinstance(memory, wasmtime.Memory)
    want = [f"{fnv1a(bytes(memory.read(store, 0, memory.data_len(store)))):d}", "16"]
    answers, error = run_script(image, Script().instantiate(0).invoke(0, "touch", [16])
                                .memhash(0), timeout=120)
    assert error is None, error
    got = answers[2]
    assert isinstance(got, Results)
    assert [str(got.values[0].bits), str(got.values[1].bits)] == want
