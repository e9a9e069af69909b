"""Several programs in one image (guest/proc.h, host/programs.py), through real QEMU: the demo
manifest, pipes (data, end of file, EPIPE), the exit status rules, isolation of a trapping
program, fair scheduling of CPU-bound programs, float/vector registers kept per program,
deadlines per program, and 1,000 programs run through 15 slots with every page given back.
Outputs are compared with the wasmtime package running the same programs."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest
from conftest import ROOT, osbuild, qemu_processes, under_wasmtime

from osbuild.host import programs
from osbuild.host.answers import parse_answer
from osbuild.host.console import boot
from osbuild.host.protocol import Script
from osbuild.host.runstats import EXACT_ARGS

WASI = ROOT / "examples" / "wasi"


def wasm(name: str) -> Path:
    path = WASI / f"{name}.wasm"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make wasi-examples`")
    return path


def manifest(tmp: Path, *entries: str) -> Path:
    path = tmp / "os.toml"
    path.write_text("\n".join(f"[[program]]\n{e}\n" for e in entries))
    return path


def pipeline_under_wasmtime(tmp: Path, first: tuple[str, list[str]], second: str) -> bytes:
    out, _, status = under_wasmtime(wasm(first[0]), first[1], tmp)
    assert status == 0
    result, _, status = under_wasmtime(wasm(second), [], tmp, stdin=out)
    assert status == 0
    return result


def test_demo_manifest(tmp_path: Path) -> None:
    """examples/os/os.toml: words | wc, and a ticker sleeping beside them."""
    run = osbuild("run", ROOT / "examples" / "os" / "os.toml")
    assert run.returncode == 0, run.stderr
    expected = pipeline_under_wasmtime(tmp_path, ("words", ["2000"]), "wc").decode()
    lines = run.stdout.splitlines()
    assert [ln for ln in lines if ln.startswith("wc ")] == [f"wc     | {expected.strip()}"]
    assert [ln for ln in lines if ln.startswith("ticker")] == [
        f"ticker | tick {i}" for i in (1, 2, 3)]
    for name in ("words", "wc", "ticker"):
        assert f"osbuild: {name}: exit 0" in run.stderr
    assert not qemu_processes()


def test_pipe_option_matches_a_shell_pipeline(tmp_path: Path) -> None:
    """`osbuild run --pipe wc.wasm words.wasm 30000`: 200 KiB through a 64 KiB pipe (the writer
    blocks and resumes), the end of file when words exits; no prefix with one console
    writer."""
    run = osbuild("run", "--pipe", wasm("wc"), wasm("words"), "30000")
    assert run.returncode == 0, run.stderr
    assert run.stdout.encode() == pipeline_under_wasmtime(tmp_path, ("words", ["30000"]), "wc")


def test_epipe_and_first_failure_status(tmp_path: Path) -> None:
    """The reader exits after one line: the writer's next write fails with EPIPE once the pipe
    is full; without a main program the run's status is the first failure's."""
    path = manifest(tmp_path, f'name = "flood"\nwasm = "{wasm("flood")}"\nstdout = "head1"',
                    f'name = "head1"\nwasm = "{wasm("head1")}"')
    run = osbuild("run", path)
    assert run.returncode == 3, run.stderr
    wrote = re.search(r"wrote (\d+) bytes: Broken pipe", run.stderr)
    assert wrote, run.stderr
    # a full pipe (64 KiB) plus what head1 took before it exited, in whole 4 KiB writes
    assert 65536 <= int(wrote[1]) <= 2 * 65536 and int(wrote[1]) % 1024 == 0
    assert run.stdout == "x" * 255  # one console writer: no prefix; fgets stopped at 255
    assert "osbuild: flood: exit 3" in run.stderr and "osbuild: head1: exit 0" in run.stderr


def test_a_trapping_program_disturbs_no_other(tmp_path: Path) -> None:
    """One program traps (reported with its name and backtrace); the pipeline beside it ends
    normally and, being main, gives the run's status."""
    bad = tmp_path / "bad.wat"
    bad.write_text('(module (memory (export "memory") 1)\n'
                   '  (func $crash (unreachable))\n'
                   '  (func (export "_start") (call $crash)))')
    path = manifest(tmp_path, f'name = "bad"\nwasm = "{bad}"',
                    f'name = "words"\nwasm = "{wasm("words")}"\nargs = ["500"]\nstdout = "wc"',
                    f'name = "wc"\nwasm = "{wasm("wc")}"\nmain = true')
    run = osbuild("run", path)
    assert run.returncode == 0, run.stderr
    expected = pipeline_under_wasmtime(tmp_path, ("words", ["500"]), "wc").decode().strip()
    assert f"wc    | {expected}" in run.stdout.splitlines()
    assert "wasm trap: unreachable" in run.stderr
    assert "crash" in run.stderr  # the backtrace names the function
    assert "osbuild: bad: trap: unreachable" in run.stderr


def outputs(image: Path, progs: list[programs.Program]) -> dict[str, bytes]:
    """Run ``progs`` under QEMU -icount shift=0 (the guest's clock counts its instructions, so
    time-sliced figures do not depend on the host's load): each program's stdout."""
    _, script = programs.script(progs, 0)
    out: dict[str, bytearray] = {p.name: bytearray() for p in progs}
    sender = {"port": 0}

    def on_frame(channel: str, payload: bytes) -> None:
        if channel == ">":
            sender["port"] = int(payload)

    def stdout(data: bytes) -> None:
        out[progs[sender["port"] - 1].name].extend(data)

    status, _ = boot(image, script, on_frame, timeout=600, stdout=stdout, extra_args=EXACT_ARGS)
    assert status == 0
    return {name: bytes(data) for name, data in out.items()}


def test_spinning_programs_share_the_cpu_fairly(tmp_path: Path) -> None:
    """Three CPU-bound programs count rounds of work over the same 600 ms of the guest's clock
    (instructions under -icount): each gets a third of the hart, within 10%."""
    progs = [programs.Program(name=n, module=0) for n in "abc"]
    image = programs.build_programs(progs, [wasm("spin")], tmp_path / "fair.elf")
    counts = [int(text) for text in outputs(image, progs).values()]
    mean = statistics.mean(counts)
    assert all(abs(c - mean) <= 0.10 * mean for c in counts), counts


def test_float_and_vector_registers_are_per_program(tmp_path: Path) -> None:
    """Two float programs built with SIMD run interleaved by the timer: each prints what it
    prints alone under wasmtime (the kernel saves f0-f31 and v0-v31 at every switch)."""
    src = tmp_path / "fsum.c"
    src.write_text(r'''
#include <stdio.h>
#include <stdlib.h>
static float a[4096], b[4096];
int main(int argc, char **argv) {
  float k = (float)atof(argv[1]);
  double total = 0;
  for (int round = 0; round < 3000; round++) {
    for (int i = 0; i < 4096; i++) a[i] = (float)i * k + (float)round, b[i] = k - (float)i;
    float s = 0;
    for (int i = 0; i < 4096; i++) s += a[i] * b[i];
    total += s;
  }
  printf("%.17g\n", total);
  return 0;
}''')
    out = tmp_path / "fsum.wasm"
    import subprocess
    subprocess.run(["clang", "--target=wasm32-wasi", "-O2", "-msimd128", str(src), "-o",
                    str(out)], check=True)
    path = manifest(tmp_path, f'name = "x"\nwasm = "{out}"\nargs = ["0.5"]',
                    f'name = "y"\nwasm = "{out}"\nargs = ["-3.25"]')
    run = osbuild("run", path, timeout=300)
    assert run.returncode == 0, run.stderr
    for name, arg in (("x", "0.5"), ("y", "-3.25")):
        alone, _, _ = under_wasmtime(out, [arg], tmp_path)
        assert f"{name} | {alone.decode().strip()}" in run.stdout.splitlines()


def test_a_deadline_ends_one_program_only(tmp_path: Path) -> None:
    """A program with a 0.3 s timeout is interrupted; the ticker beside it is not."""
    spin = tmp_path / "spin.wat"
    spin.write_text('(module (memory (export "memory") 1)\n'
                    '  (func (export "_start") (loop $l (br $l))))')
    path = manifest(tmp_path, f'name = "spin"\nwasm = "{spin}"\ntimeout = 0.3',
                    f'name = "ticker"\nwasm = "{wasm("ticker")}"\nargs = ["5"]\nmain = true')
    run = osbuild("run", path)
    assert run.returncode == 0, run.stderr
    assert "wasm trap: interrupt" in run.stderr
    assert run.stdout.count("ticker | tick") == 5
    assert "osbuild: spin: trap: interrupt" in run.stderr


def test_a_thousand_programs_give_back_every_page(tmp_path: Path) -> None:
    """1,000 programs that each allocate and touch 256 KiB and exit, through the kernel's 15
    program slots (the script waits for a free one): every one exits 0 and the free page
    count after them equals the count before (a warm-up program first, so that pipes and
    buffers allocated once are not counted)."""
    image = tmp_path / "os.elf"
    progs = [programs.Program(name=f"p{i}", module=0, args=["256"]) for i in range(1001)]
    programs.build_programs(progs[:1], [wasm("alloc")], image)
    _, first = programs.script(progs[:1], 0)
    _, rest = programs.script(progs[1:], 0)
    script = Script().extend(first).meminfo().extend(rest).meminfo()
    ends: list[str] = []
    free: list[int] = []
    sender = {"uart": 0}

    def on_frame(channel: str, payload: bytes) -> None:
        if channel == "@":
            sender["uart"] = int(payload)
        elif channel == "E":
            ends.append(payload.decode())
        elif channel == "R" and sender["uart"] == 0:
            free.append(parse_answer("R", payload).values[0].bits)

    status, _ = boot(image, script, on_frame, timeout=600)
    assert status == 0
    assert len(ends) == 1001 and all(e.split()[1:] == ["exit", "0"] for e in ends)
    assert len(free) == 2 and free[0] == free[1], free
    assert not qemu_processes()


def test_host_controls_running_programs(tmp_path: Path) -> None:
    """The debugger's view and control of running programs (host/proctable.py): `ps` shows
    them with state and CPU time; a program can be stopped (it gets no CPU time), resumed,
    killed (its end is "killed"), and a module started as a new program; a request for a
    program that does not exist is refused."""
    from osbuild.host.debug import Session

    spin = tmp_path / "spin.wat"
    spin.write_text('(module (memory (export "memory") 2)\n'
                    '  (func (export "_start") (loop $l (br $l))))')
    progs = [programs.Program(name="spin", module=0),
             programs.Program(name="ticker", module=1, args=["30"], main=True)]
    image = programs.build_programs(progs, [spin, wasm("ticker")], tmp_path / "ctl.elf")
    _, script = programs.script(progs, 0)
    with Session(image, script) as s:
        s.cont(timeout=1.0)
        rows = {p["name"]: p for p in s.processes()}
        assert rows["spin"]["state"] in ("running", "runnable") and rows["spin"]["pages"] == 2
        assert rows["spin"]["cpu"] > 0.1 and rows["ticker"]["state"] in ("blocked", "runnable",
                                                                           "running")
        assert s.control("stop", 1)
        s.cont(timeout=0.2)  # it leaves the hart at the tick that served the request
        stopped_cpu = next(p["cpu"] for p in s.processes() if p["pid"] == 1)
        s.cont(timeout=0.5)
        assert next(p for p in s.processes() if p["pid"] == 1)["state"] == "stopped"
        assert next(p["cpu"] for p in s.processes() if p["pid"] == 1) == stopped_cpu
        assert s.control("resume", 1)
        assert s.control("start", 0)  # a second spin, pid 3
        assert {p["pid"] for p in s.processes()} >= {1, 2, 3}
        assert s.control("kill", 1) and s.control("kill", 3)
        assert not s.control("kill", 99)
        assert s.cont(timeout=30) == "program finished with exit status 0"  # ticker is main
        assert s.out.stdout.decode().splitlines()[-1] == "tick 30"
    assert not qemu_processes()


def test_programs_run_on_several_harts(tmp_path: Path) -> None:
    """With two harts (QEMU -smp 2), two CPU-bound programs run at once, each on its own hart
    (the debugger's `ps` sees both running, on harts 0 and 1), and each prints its one line of
    start and end times (their writes may interleave on the shared console, as on a terminal:
    each program's output is checked on its own)."""
    from osbuild.host.debug import Session

    src = ROOT / "bench" / "os" / "work.c"
    work = tmp_path / "work.wasm"
    import subprocess
    subprocess.run(["clang", "--target=wasm32-wasi", "-O2", str(src), "-o", str(work)],
                   check=True)
    progs = [programs.Program(name=f"w{i}", module=0, args=["60"]) for i in range(2)]
    image = programs.build_programs(progs, [work], tmp_path / "work.elf")
    _, script = programs.script(progs, 0)
    seen: set[int] = set()
    with Session(image, script, harts=2) as s:
        for _ in range(20):
            s.cont(timeout=0.1)
            rows = [p for p in s.processes() if p["state"] == "running"]
            if len(rows) == 2:
                seen = {p["hart"] for p in rows}
                break
        assert seen == {0, 1}
        assert s.cont(timeout=120) == "program finished with exit status 0"
        outputs = {pid: bytes(out).decode() for pid, out in s.out.stdout_of.items()}
    assert sorted(outputs) == [1, 2]  # pids count from 1
    for text in outputs.values():
        start, end = map(int, text.split())  # one line: start and end times, in microseconds
        assert text.endswith("\n") and text.count("\n") == 1 and 0 <= start < end
    assert not qemu_processes()


def test_stdout_to_a_file(tmp_path: Path) -> None:
    """`stdout = "file:PATH"`: the host writes that program's output to the file (relative to
    the manifest); the other program's output stays on the console, without a prefix."""
    path = manifest(tmp_path, f'name = "words"\nwasm = "{wasm("words")}"\nargs = ["300"]\n'
                    'stdout = "file:words.txt"',
                    f'name = "ticker"\nwasm = "{wasm("ticker")}"\nargs = ["2"]')
    run = osbuild("run", path)
    assert run.returncode == 0, run.stderr
    expected, _, _ = under_wasmtime(wasm("words"), ["300"], tmp_path)
    assert (tmp_path / "words.txt").read_bytes() == expected
    assert run.stdout == "tick 1\ntick 2\n"


def test_kill_mid_host_call_and_breakpoints_per_program(tmp_path: Path) -> None:
    """On two harts: a breakpoint in one program's function stops there, with that program's
    backtrace; a program killed while it waits inside a host call (a pipe read whose writer
    never writes) ends as killed and leaves no lock held: the others go on to the end."""
    from osbuild.host.debug import Session

    silent = tmp_path / "silent.wat"  # holds the pipe open and never writes
    silent.write_text('(module (memory (export "memory") 1)\n'
                      '  (func (export "_start") (loop $l (br $l))))')
    beat = tmp_path / "beat.wat"
    beat.write_text('(module (memory (export "memory") 1)\n'
                    '  (global $n (mut i32) (i32.const 0))\n'
                    '  (func $beat (global.set $n (i32.add (global.get $n) (i32.const 1))))\n'
                    '  (func (export "_start")\n'
                    '    (loop $l (call $beat) (br_if $l (i32.lt_u (global.get $n) '
                    '(i32.const 50000000))))))')
    progs = [programs.Program(name="silent", module=0, stdout="reader"),
             programs.Program(name="reader", module=1),
             programs.Program(name="beat", module=2, main=True)]
    # The fast tier (the debugger's default): the opt tier inlines $beat into the loop, where
    # LLVM hoists the copy's entry out of it (tests/test_inline.py covers such breakpoints).
    image = programs.build_programs(progs, [silent, wasm("wc"), beat], tmp_path / "k.elf",
                                    tier="fast")
    _, script = programs.script(progs, 0)
    with Session(image, script, harts=2) as s:
        s.cont(timeout=1.0)
        rows = {p["name"]: p for p in s.processes()}
        assert rows["reader"]["state"] == "blocked"  # in fd_read, inside the kernel
        n = s.break_("beat!beat")
        assert s.cont(timeout=30) == f"breakpoint {n} at beat!beat"
        assert [f.text.split(" - ")[1] for f in s.bt()][:2] == ["beat!beat",
                                                                "beat!<wasm function 1>"]
        s.delete(n)
        assert s.control("kill", 2)  # the reader, blocked mid-call
        assert s.control("kill", 1)
        assert s.cont(timeout=120) == "program finished with exit status 0"
        assert sorted(s.out.ends) == ["1 killed", "2 killed", "3 exit 0"]
    assert not qemu_processes()


def test_manifest_errors_are_one_line(tmp_path: Path) -> None:
    path = manifest(tmp_path, f'name = "a"\nwasm = "{wasm("words")}"\nstdout = "nobody"')
    run = osbuild("run", path)
    assert run.returncode != 0
    assert run.stderr.strip() == ("osbuild: error: program a: stdout 'nobody' is neither "
                                  "\"console\", a program nor file:PATH")
    run = osbuild("image", "--manifest", tmp_path / "missing.toml")
    assert run.returncode != 0 and "Traceback" not in run.stderr
