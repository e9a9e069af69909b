"""The guest kernel in real QEMU, driven by command scripts against the hand-written module of
tests/fixtures/guest (no compiler involved): the framed console, invoke results, host functions,
traps with their backtraces, memory.grow, the deadline interrupt, link errors, stores, the
kernel panic report, and the exit statuses QEMU ends with."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import guest_harness
from elftools.elf.elffile import ELFFile

from osbuild.boot import build_image

pytestmark = pytest.mark.qemu

h = guest_harness()
H = h.hexname
P = h.PREFIX
Symbolize = Callable[[int], str]


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("guest")
    return build_image(h.fixture_modules(h.compile_fixture(work)), work / "fixture.elf")


@pytest.fixture(scope="module")
def symbolize(image: Path) -> Iterator[Symbolize]:
    """pc → name of the symbol it lies in (the nearest function symbol at or below it)."""
    with open(image, "rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        assert symtab is not None
        funcs = sorted((s["st_value"], s.name) for s in symtab.iter_symbols()
                       if s.name and s["st_info"]["type"] in ("STT_FUNC", "STT_NOTYPE")
                       and s.name.startswith(("osb_", P)))
    starts = [a for a, _ in funcs]

    def lookup(pc: int) -> str:
        return funcs[bisect.bisect_right(starts, pc) - 1][1]

    yield lookup


def run(image: Path, tmp_path: Path, *lines: str) -> h.Boot:
    return h.boot(image, "".join(line + "\n" for line in lines), tmp_path)


def invoke(name: str, *args: int) -> str:
    return " ".join(["invoke 0", H(name), *(f"{a:x}" for a in args)])


def trap_lines(text: str) -> tuple[int, int, str, list[int]]:
    """(code, pc, addr, frames) of a T frame."""
    first, *rest = text.split("\n")
    m = re.fullmatch(r"trap (\d+) ([0-9a-f]+) ([0-9a-f]+|-)", first)
    assert m, first
    frames = [int(line.split()[1], 16) for line in rest]
    assert all(line.startswith("frame ") for line in rest)
    return int(m[1]), int(m[2], 16), m[3], frames


def test_start_frame_results_and_exit(image: Path, tmp_path: Path) -> None:
    boot = run(image, tmp_path, "instantiate 0", invoke("add", 2, 3),
               invoke("add", 0xFFFFFFFF, 2), invoke("peek"), f"get 0 {H('counter')}",
               invoke("wide", 5, 0x3FF8000000000000), invoke(h.WEIRD_NAME, 40, 2),
               invoke(""))
    assert boot.frames[0][0] == "S"  # the first frame, before any other output
    assert re.fullmatch(rb"osbuild [0-9a-f]+", boot.frames[0][1])
    assert b"OpenSBI" in boot.noise  # the firmware's banner is what comes before
    assert boot.answers() == [
        ("R", ""), ("R", "i32:5"), ("R", "i32:1"), ("R", "i32:2a"), ("R", "i32:7"),
        ("R", "i64:f f64:4008000000000000"),  # 5*3, 1.5+1.5: FP works in U-mode
        ("R", "i32:2a"), ("R", "i32:2a"),
    ]
    assert boot.frames[-1] == ("X", b"0")
    assert boot.status == 0


def test_host_functions_print_on_stdout(image: Path, tmp_path: Path) -> None:
    boot = run(image, tmp_path, "instantiate 0", invoke("show", 42),
               invoke("show", 0xFFFFFFFF), invoke("greet"))
    assert boot.stdout() == b"42\n-1\nhello, guest\n"
    # Each call's output arrives before its answer.
    assert [c for c, _ in boot.frames] == ["S", "R", "1", "R", "1", "R", "1", "R", "X"]
    assert boot.status == 0


def test_out_of_bounds_store_traps_and_ends_the_run(image: Path, tmp_path: Path,
                                                    symbolize: Symbolize) -> None:
    boot = run(image, tmp_path, "instantiate 0", invoke("far_store"), invoke("add", 1, 2))
    kinds = [c for c, _ in boot.frames]
    assert kinds == ["S", "R", "T", "X"]  # the invoke after the trap never runs
    code, pc, addr, frames = trap_lines(boot.answers()[1][1])
    assert (code, addr) == (4, "123456")  # wasm address, not the virtual one
    assert symbolize(pc) == f"{P}_f4"
    assert [symbolize(f) for f in frames[:2]] == [f"{P}_f4", f"{P}_x4"]
    assert boot.frames[-1] == ("X", b"134")
    assert boot.status == 134


def test_trap_backtrace_walks_the_frame_pointers(image: Path, tmp_path: Path,
                                                 symbolize: Symbolize) -> None:
    boot = run(image, tmp_path, "instantiate 0", invoke("boom"))
    code, pc, addr, frames = trap_lines(boot.answers()[1][1])
    assert (code, addr) == (0, "-")
    assert pc == frames[0]  # the call to osb_trap inside the trapping function
    # Innermost first: the trap site, then return addresses up to the shim and osb_enter,
    # where the chain ends (osb_enter clears s0).
    assert [symbolize(f) for f in frames] == [f"{P}_f8", f"{P}_f7", f"{P}_x7", "osb_enter"]
    assert boot.status == 134


def test_stack_exhaustion(image: Path, tmp_path: Path, symbolize: Symbolize) -> None:
    boot = run(image, tmp_path, "instantiate 0", invoke("recurse", 16),
               invoke("recurse", 4096))  # 4096 frames of 8 KiB: far beyond the stack
    assert boot.answers()[1] == ("R", "i32:88")  # 16 + 15 + ... + 1
    code, _, addr, frames = trap_lines(boot.answers()[2][1])
    assert (code, addr) == (9, "-")
    assert 2 < len(frames) <= 65  # the walk is bounded
    assert {symbolize(f) for f in frames} == {f"{P}_f11"}
    assert boot.status == 134


def test_memory_grow(image: Path, tmp_path: Path) -> None:
    boot = run(image, tmp_path, "instantiate 0", invoke("grow", 1), invoke("poke", 0x1FFFF, 9),
               invoke("grow", 0), invoke("grow", 1), invoke("grow", 1),
               invoke("poke", 0x2FFFF, 1), invoke("poke", 0x30000, 1))
    answers = boot.answers()
    assert answers[1:7] == [("R", "i32:1"), ("R", ""), ("R", "i32:2"), ("R", "i32:2"),
                            ("R", "i32:ffffffff"),  # the maximum is 3 pages
                            ("R", "")]
    code, _, addr, _ = trap_lines(answers[7][1])
    assert (code, addr) == (4, "30000")
    assert boot.status == 134


def test_host_function_checks_bounds(image: Path, tmp_path: Path) -> None:
    boot = run(image, tmp_path, "instantiate 0", invoke("bad_puts"))
    code, _, _, _ = trap_lines(boot.answers()[1][1])
    assert code == 4
    assert boot.stdout() == b""
    assert boot.status == 134


def test_deadline_interrupts_running_code(image: Path, tmp_path: Path,
                                          symbolize: Symbolize) -> None:
    boot = run(image, tmp_path, "instantiate 0", "deadline 186a0", invoke("spin"))  # 10 ms
    code, pc, _, _ = trap_lines(boot.answers()[1][1])
    assert code == 10
    assert symbolize(pc) == f"{P}_f14"
    assert boot.status == 134


def test_continue_on_trap(image: Path, tmp_path: Path) -> None:
    boot = run(image, tmp_path, "continue-on-trap", "instantiate 0", invoke("far_store"),
               invoke("add", 1, 2))
    assert [c for c, _ in boot.answers()] == ["R", "T", "R"]
    assert boot.answers()[2] == ("R", "i32:3")
    assert boot.status == 0


@pytest.mark.parametrize(("module", "message"), [
    (1, "unknown import: env.nope"),
    (2, "incompatible import type: env.print_i32 (module expects I:, host provides i:)"),
])
def test_link_errors(image: Path, tmp_path: Path, module: int, message: str) -> None:
    boot = run(image, tmp_path, f"instantiate {module}", "instantiate 0")
    assert boot.answers() == [("L", message)]
    assert boot.frames[-1] == ("X", b"1")
    assert boot.status == 1


@pytest.mark.parametrize(("line", "message"), [
    (invoke("nosuch"), None),
    (invoke("add", 1), "wrong number of arguments"),
    ("invoke 7 " + H("add"), "no such instance"),
    ("instantiate 9", "no such module"),
])
def test_command_errors(image: Path, tmp_path: Path, line: str, message: str | None) -> None:
    boot = run(image, tmp_path, "instantiate 0", line)
    kind, text = boot.answers()[-1]
    assert kind == "L"
    if message:
        assert text == message
    assert boot.status == 1


def test_default_script_without_initrd(image: Path, tmp_path: Path) -> None:
    """No script: `instantiate 0` and `start 0`, which calls the `_start` export."""
    boot = h.boot(image, None, tmp_path)
    assert [c for c, _ in boot.frames] == ["S", "R", "1", "R", "X"]
    assert boot.stdout() == b"42\n"
    assert boot.status == 0


def test_start_function_runs_at_instantiation(image: Path, tmp_path: Path) -> None:
    boot = run(image, tmp_path, "instantiate 3", "start 0")
    assert boot.stdout() == b"42\n42\n"  # the start function, then `_start`
    assert [c for c, _ in boot.frames] == ["S", "1", "R", "1", "R", "X"]


def test_dropping_a_store_frees_every_page(image: Path, tmp_path: Path) -> None:
    boot = run(image, tmp_path, "meminfo", "store 1", "instantiate 0", "instantiate 0",
               "invoke 1 " + H("grow") + " 2", "invoke 0 " + H("add") + " 1 1",
               "drop-store 1", "store 0", "meminfo", "invoke 0 " + H("add") + " 1 1")
    answers = boot.answers()
    assert answers[0] == answers[5]  # meminfo before == after
    assert answers[3:5] == [("R", "i32:1"), ("R", "i32:2")]
    assert answers[6] == ("L", "no such instance")  # ids of a dropped store stop resolving


def test_instance_ids_after_a_drop_name_only_new_instances(image: Path, tmp_path: Path) -> None:
    """Ids count up across stores and are never reused: after a store is dropped its ids stay
    dead, a new instance in its slot gets a new id, and the other store's ids still resolve."""
    add = "invoke {} " + H("add") + " {} {}"
    boot = run(image, tmp_path, "continue-on-trap", "store 1", "instantiate 0", "store 2",
               "instantiate 0", "store 1", "instantiate 0", "drop-store 1", "instantiate 0",
               add.format(0, 1, 1), add.format(2, 1, 1), add.format(1, 2, 3),
               add.format(3, 3, 4), add.format(4, 1, 1))
    assert boot.answers()[4:] == [("L", "no such instance"), ("L", "no such instance"),
                                  ("R", "i32:5"), ("R", "i32:7"), ("L", "no such instance")]


def test_kernel_fault_is_a_panic_report(image: Path, tmp_path: Path) -> None:
    boot = run(image, tmp_path, "instantiate 0", invoke("panic"))
    panic = boot.channel("P")
    assert len(panic) == 1
    text = panic[0].decode()
    assert text.startswith("kernel panic: trap in S-mode\nscause d ")  # load page fault
    assert "stval 14000000000" in text and "\nra " in text and " t6 " in text
    assert boot.frames[-1] == ("X", b"70")
    assert boot.status == 70
