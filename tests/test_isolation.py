"""Isolation: a module cannot reach the kernel or another instance's memory, whatever address
it forms, and a trapped instance's pages come back. Each test is one boot running a command
script (docs/ARCHITECTURE.md) with many instances and stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from osbuild.host.answers import Results, TrapReport
from osbuild.host.console import run_script
from osbuild.host.pipeline import build_files
from osbuild.host.protocol import Script

HERE = Path(__file__).resolve().parent / "wasm"

pytestmark = pytest.mark.qemu


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_files([HERE / "victim.wat", HERE / "attacker.wat"],
                       tmp_path_factory.mktemp("img") / "iso.elf")


# (export, args in hex, expected answer): "T4" = out-of-bounds trap, "R..." = results
ATTACKS = [
    ("load", ["ffffffff"], "T4"), ("load", ["fffffffc"], "T4"), ("load", ["10000"], "T4"),
    ("load", ["fffd"], "T4"),  # straddles the end of memory
    ("load8", ["ffff"], "R"),  # the last byte is fine
    ("load", ["80000000"], "T4"), ("load_far", ["0"], "T4"), ("load_far", ["ffffffff"], "T4"),
    ("store", ["ffffffff", "1"], "T4"), ("store", ["10000", "1"], "T4"),
    ("store_far", ["0"], "T4"), ("store_far", ["ffffffff"], "T4"),
    ("fill", ["0", "10001"], "T4"), ("fill", ["ffffffff", "2"], "T4"),
    ("copy", ["0", "ffff0000", "100"], "T4"), ("copy", ["ffff0000", "0", "100"], "T4"),
    ("grow", ["10000"], "R -1"),  # past the 4 GiB limit: refused, not a crash
    ("grow", ["3ff"], "R 1"),  # 64 MiB more: granted (old size 1 page)
    ("store", ["3ff0000", "7"], "R"),  # inside the grown memory
    ("store", ["4000000", "7"], "T4"),  # just past it
]


def attack_script(victim_store: int, attacker_store: int) -> tuple[Script, list[str]]:
    script = (Script().store(victim_store).instantiate(0).invoke(0, "fill", [7])
              .store(attacker_store).instantiate(1))
    expect = ["R", "R", "R"]
    for export, args, answer in ATTACKS:
        script.invoke(1, export, [int(a, 16) for a in args])
        expect.append(answer)
    script.invoke(0, "check", [7])
    expect.append("R 1")
    return script, expect


@pytest.mark.parametrize(("victim_store", "attacker_store"), [(0, 1), (0, 0)],
                         ids=["separate-address-spaces", "same-store"])
def test_wild_accesses_never_touch_the_victim(image: Path, victim_store: int,
                                              attacker_store: int) -> None:
    script, expect = attack_script(victim_store, attacker_store)
    answers, error = run_script(image, script, timeout=120)
    assert error is None
    assert len(answers) == len(expect)
    for answer, want in zip(answers, expect, strict=True):
        if want.startswith("T"):
            assert isinstance(answer, TrapReport) and answer.code == int(want[1:]), (answer, want)
        else:
            assert isinstance(answer, Results), answer
            if " " in want:
                assert [v.text() for v in answer.values] == want.split()[1:]


def test_a_thousand_trapping_instances_are_reclaimed(image: Path) -> None:
    script = Script().meminfo()
    for i in range(1000):
        script.store(1).instantiate(1).invoke(i, "store", [0xFFFF0000, 1]).drop_store(1)
    script.meminfo()
    answers, error = run_script(image, script, timeout=600)
    assert error is None
    traps = [a for a in answers if isinstance(a, TrapReport)]
    assert len(traps) == 1000 and all(t.code == 4 for t in traps)
    before, after = answers[0], answers[-1]
    assert before == after, "every page of the dropped stores is back"
