"""`osbuild debug`: the Session API and the prompt (commands on stdin) against real QEMU."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import qemu_processes

from osbuild.host.debug import Session
from osbuild.host.pipeline import cached_image
from osbuild.host.protocol import Script
from osbuild.host.values import Value

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "debugme.wat"
OSBUILD = str(Path(sys.executable).parent / "osbuild")
SCRIPT = Script().instantiate(0).invoke(0, "run", [0])

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
