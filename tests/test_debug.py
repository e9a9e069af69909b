"""`osbuild debug`: the Session API and the prompt (commands on stdin) against real QEMU."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import qemu_processes

from osbuild.host.debug import Session
from osbuild.host.pipeline import cached_image
from osbuild.host.protocol import Script
from osbuild.host.values import Value, slot_words

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "debugme.wat"
OSBUILD = str(Path(sys.executable).parent / "osbuild")
SCRIPT = Script().instantiate(0).invoke(0, "run", [0])

# A program with v128 parameters, results and globals: run(x) = (acc += x) * x in i32x4 lanes.
VDEMO = """(module $vdemo
  (global $acc (export "acc") (mut v128) (v128.const i32x4 1 2 3 4))
  (global $k (export "k") v128 (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
  (func $leaf (param $x v128) (result v128)
    (global.set $acc (i32x4.add (global.get $acc) (local.get $x)))
    (global.get $acc))
  (func (export "run") (param $x v128) (result v128)
    (i32x4.mul (call $leaf (local.get $x)) (local.get $x))))
"""
X = 0x00000007_00000000_00000005_00000003  # i32x4 3 5 0 7


def i32x4(v: int) -> list[int]:
    return [v >> (32 * i) & 0xFFFFFFFF for i in range(4)]


def v128(lanes: list[int]) -> int:
    return sum((x & 0xFFFFFFFF) << (32 * i) for i, x in enumerate(lanes))


ACC0 = v128([1, 2, 3, 4])
ACC1 = v128([a + x for a, x in zip(i32x4(ACC0), i32x4(X), strict=True)])
RESULT = v128([a * x for a, x in zip(i32x4(ACC1), i32x4(X), strict=True)])
K = int.from_bytes(bytes(range(16)), "little")

pytestmark = pytest.mark.qemu


@pytest.fixture(scope="module")
def image() -> Path:
    return cached_image(DEMO)


def test_breakpoint_backtrace_memory_global_snapshot(image: Path) -> None:
    with Session(image, SCRIPT) as s:
        n = s.break_("leaf")
        assert s.cont() == f"breakpoint {n} at demo!leaf"
        assert [f.text.split(" - ")[1] for f in s.bt()] == [
            "demo!leaf", "demo!middle", "demo!<wasm function 2>"]
        regs = s.regs()
        assert "demo!leaf" in regs["pc_symbol"] and "demo!middle" in regs["ra_symbol"]
        assert s.global_("calls") == Value("i32", 0)
        assert s.vector_state() is None  # no vector instruction has run (sstatus.VS initial)
        assert s.instances()[0]["state"] == "running"
        s.snapshot("before")
        assert s.cont() == "program finished with exit status 134"
        assert [t.message for t in s.out.traps] == ["integer divide by zero"]
        assert s.mem(64, 4) == b"abcd"  # written by leaf before it trapped
        assert s.global_("calls") == Value("i32", 1)
        assert s.instances()[0]["last_trap"] == "integer divide by zero"
        s.restore("before")
        assert s.mem(64, 4) == b"\0\0\0\0"  # back before the store
        s.delete(n)
        assert s.cont() == "program finished with exit status 134"  # and past it again
        assert len(s.out.traps) == 2
    assert qemu_processes() == []


def test_prompt_reads_commands_from_stdin() -> None:
    commands = "\n".join(["break leaf", "continue", "bt", "global calls", "global/x calls",
                          "continue", "mem 64 4", "instances", "traps", "quit"]) + "\n"
    r = subprocess.run([OSBUILD, "debug", "--invoke", "run", str(DEMO), "0"], input=commands,
                       capture_output=True, text=True, timeout=120, check=False)
    out = r.stdout
    assert "breakpoint 1 at demo!leaf" in out
    assert "1:     0x60 - demo!middle" in out
    assert "\ni32 0\ni32 0x0\n" in out
    assert "program finished with exit status 134" in out
    assert "61 62 63 64" in out and "abcd" in out
    assert "trapped" in out and "integer divide by zero" in out
    assert r.returncode == 134
    assert qemu_processes() == []


def test_results_print_as_run_invoke_prints_them() -> None:
    """fib(10) is 55 in decimal, as `osbuild run --invoke` prints it; hex only with /x."""
    commands = "continue\nresults/x\nquit\n"
    fib = ROOT / "examples" / "fib.wat"
    r = subprocess.run([OSBUILD, "debug", "--invoke", "fib", str(fib), "10"], input=commands,
                       capture_output=True, text=True, timeout=120, check=False)
    run = subprocess.run([OSBUILD, "run", "--invoke", "fib", str(fib), "10"],
                         capture_output=True, text=True, timeout=120, check=False)
    lines = r.stdout.splitlines()
    assert run.stdout == "55\n"
    assert lines[:3] == ["program finished with exit status 0", "55", "exit status: 0"]
    assert lines[3] == "0x37"  # results/x
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert qemu_processes() == []


@pytest.mark.parametrize("ending", ["quit", "eof", "guest-exit"])
def test_every_ending_leaves_no_process(ending: str) -> None:
    commands = {"quit": "quit\n", "eof": "", "guest-exit": "continue\n"}[ending]
    r = subprocess.run([OSBUILD, "debug", "--invoke", "run", str(DEMO), "1"], input=commands,
                       capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in r.stderr
    assert qemu_processes() == []


@pytest.fixture(scope="module")
def vdemo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("vdemo") / "vdemo.wat"
    path.write_text(VDEMO)
    return path


def test_v128_globals_results_and_vector_registers(vdemo: Path) -> None:
    """v128 globals and results in wasmtime's notation (the unsigned 128-bit integer), and the
    vector registers of the stopped program, which a snapshot saves and restores."""
    script = Script().instantiate(0).invoke(0, "run", slot_words("v128", X))
    with Session(cached_image(vdemo), script) as s:
        assert s.vector_state() is None  # before the first instruction
        s.break_("leaf")
        assert s.cont() == "breakpoint 1 at vdemo!leaf"
        assert s.global_("acc") == Value("v128", ACC0)
        assert s.global_("k") == Value("v128", K)
        assert s.global_("k").text() == str(K)
        assert s.global_("k").text(hex=True) == "0xf0e0d0c0b0a09080706050403020100"
        at_leaf = s.vector_state()
        assert at_leaf is not None and at_leaf.status == "dirty"
        assert at_leaf.vlenb == 16 and len(at_leaf.registers) == 32 and at_leaf.vstart == 0
        assert at_leaf.registers[8] == X  # the first vector argument's register (psABI)
        assert re.fullmatch(r"e(8|16|32|64), m1, t[au], m[au]", at_leaf.vtype_text())
        s.snapshot("leaf")
        assert s.cont() == "program finished with exit status 0"
        assert [r.values for r in s.out.results] == [[Value("v128", RESULT)]]
        assert s.global_("acc") == Value("v128", ACC1)
        after = s.vector_state()
        assert after is not None and RESULT in after.registers
        s.restore("leaf")
        assert s.vector_state() == at_leaf  # QEMU's snapshot holds the vector state
        assert s.global_("acc") == Value("v128", ACC0)
    assert qemu_processes() == []


def test_prompt_shows_vector_registers_and_v128_values(vdemo: Path) -> None:
    commands = "\n".join(["regs", "break leaf", "continue", "regs", "global k", "global/x k",
                          "global acc", "continue", "results", "quit"]) + "\n"
    r = subprocess.run([OSBUILD, "debug", "--invoke", "run", str(vdemo), hex(X)], input=commands,
                       capture_output=True, text=True, timeout=120, check=False)
    run = subprocess.run([OSBUILD, "run", "--invoke", "run", str(vdemo), hex(X)],
                         capture_output=True, text=True, timeout=120, check=False)
    out = r.stdout
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    before, at_leaf = out.split("breakpoint 1 at vdemo!leaf\n", 1)
    assert "vector registers: unused" in before and "v8 0x" not in before
    assert re.search(r"\nvector state dirty: vl \d+  vtype 0x[0-9a-f]+ \(e\d+, m1, t[au], m[au]\)"
                     r"  vstart 0  vlenb 16\n", at_leaf), at_leaf
    assert f"  v8 0x{X:032x}    v9 0x" in at_leaf
    assert len(re.findall(r"\bv\d+ 0x[0-9a-f]{32}\b", at_leaf)) == 32
    assert f"\nv128 {K}\nv128 {K:#x}\nv128 {ACC0}\n" in at_leaf
    assert run.stdout == f"{RESULT}\n"
    assert f"program finished with exit status 0\n{RESULT}\nexit status: 0\n{RESULT}\n" in out
    assert qemu_processes() == []
