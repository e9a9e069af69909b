"""Fault injection: QEMU killed under a run, a spec run, a debug session and the embedding API,
a build killed while it writes the cache, a cache on a full disk, read-only cache and image
folders, eight runs of different programs at once on a cold cache. Each ends with a clear
message and a non-zero status where something failed, leaves no QEMU and no temp file, and the
cache stays correct (a rebuild is byte-identical to a build in an empty cache).

The full disk and the read-only folder are real file systems (a small tmpfs, remounted
read-only), so these tests need root to mount them; without root they are skipped."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import EXAMPLES, OSBUILD, osbuild, private_cache, qemu_processes

from osbuild.host.api import Store, StoreClosed

pytestmark = pytest.mark.qemu

SPIN = '(module (func (export "_start") (loop $l (br $l))))'


def wait_for(predicate, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def kill_qemu(before: list[int]) -> None:
    """SIGKILL the one QEMU started since ``before``, once it runs."""
    wait_for(lambda: len(set(qemu_processes()) - set(before)) == 1)
    time.sleep(1)
    (pid,) = set(qemu_processes()) - set(before)
    os.kill(pid, signal.SIGKILL)


def test_qemu_killed_during_a_run(tmp_path: Path) -> None:
    wat = tmp_path / "spin.wat"
    wat.write_text(SPIN)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    assert osbuild("image", wat, "-o", tmp_path / "spin.elf", env=env).returncode == 0
    before = qemu_processes()
    proc = subprocess.Popen([OSBUILD, "run", str(tmp_path / "spin.elf")], env=env,
                            stderr=subprocess.PIPE, text=True)
    kill_qemu(before)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.splitlines() == ["osbuild: error: the guest stopped without reporting an exit "
                                "status (QEMU status -9)"]
    assert qemu_processes() == before and list(tmp.iterdir()) == []


def test_qemu_killed_under_a_store(tmp_path: Path) -> None:
    image = tmp_path / "fib.elf"
    assert osbuild("image", EXAMPLES / "fib.wat", "-o", image).returncode == 0
    before = qemu_processes()
    with Store(image) as store:
        fib = store.instantiate(0).exports["fib"]
        want = fib(15)
        (pid,) = set(qemu_processes()) - set(before)
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(StoreClosed, match="the guest stopped"):
            fib(15)
        with pytest.raises(StoreClosed):
            store.instantiate(0)
    assert qemu_processes() == before
    with Store(image) as store:
        assert store.instantiate(0).exports["fib"](15) == want


def build_in(cache: Path, wasm: Path, out: Path) -> subprocess.CompletedProcess:
    with private_cache(cache):
        return osbuild("image", wasm, "-o", out, timeout=600)


def test_build_killed_while_writing_the_cache(tmp_path: Path) -> None:
    """SIGKILL at a few moments of a cold build (compiling, writing objects, linking); the
    next build with the same cache is byte-identical to one in an empty cache, and it removes
    what the killed builds left (their temporary folders and cache entries being filled)."""
    wasm = EXAMPLES / "wasi" / "cat.wasm"
    reference = tmp_path / "reference.elf"
    assert build_in(tmp_path / "clean", wasm, reference).returncode == 0
    cache = tmp_path / "cache"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    for delay in (0.5, 1.5, 3.0):
        env = {**os.environ, "OSBUILD_CACHE_DIR": str(cache), "TMPDIR": str(tmp)}
        proc = subprocess.Popen([OSBUILD, "image", str(wasm), "-o", str(tmp_path / "k.elf")],
                                env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its compiler workers
        proc.wait()
    again = tmp_path / "again.elf"
    env = {**os.environ, "OSBUILD_CACHE_DIR": str(cache), "TMPDIR": str(tmp)}
    proc = osbuild("image", wasm, "-o", again, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert again.read_bytes() == reference.read_bytes()
    assert list((cache / "tmp").iterdir()) == []
    assert [p.name for p in tmp.iterdir()] == []


def test_eight_runs_at_once_on_a_cold_cache(tmp_path: Path) -> None:
    """Eight different programs built and run at the same time in one empty cache: each as
    it runs alone, and the cache then holds what a sequential build makes."""
    progs = [EXAMPLES / n for n in ("hello.wat", "fib.wat", "memory.wat", "traps.wat")]
    progs.append(EXAMPLES / "wasi" / "cat.wasm")
    for status in (0, 3, 7):  # small WASI programs: what differs is the exit status
        prog = tmp_path / f"exit{status}.wat"
        prog.write_text('(module (import "wasi_snapshot_preview1" "proc_exit" '
                        f'(func $exit (param i32))) (func (export "_start") '
                        f'(call $exit (i32.const {status}))) (memory (export "memory") 1))')
        progs.append(prog)
    before = qemu_processes()

    def run(prog: Path) -> tuple[int, str]:
        env = {**os.environ, "OSBUILD_CACHE_DIR": str(tmp_path / "shared")}
        p = subprocess.run([OSBUILD, "run", str(prog)], env=env, capture_output=True,
                           text=True, input="some input\n", timeout=900, check=False)
        return p.returncode, p.stdout

    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(run, progs))
    alone = []
    for prog in progs:
        with private_cache(tmp_path / "alone"):
            p = osbuild("run", prog, input="some input\n", timeout=900)
        alone.append((p.returncode, p.stdout))
    assert together == alone
    assert qemu_processes() == before
    shared = sorted(p.relative_to(tmp_path / "shared")
                    for p in (tmp_path / "shared").rglob("*") if p.is_file())
    sequential = sorted(p.relative_to(tmp_path / "alone")
                        for p in (tmp_path / "alone").rglob("*") if p.is_file())
    assert shared == sequential


def test_qemu_killed_during_a_spec_run(tmp_path: Path) -> None:
    wast = tmp_path / "spin.wast"
    wast.write_text('(module (func (export "spin") (loop (br 0))))\n'
                    '(assert_return (invoke "spin"))\n')
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    before = qemu_processes()
    proc = subprocess.Popen([OSBUILD, "spec", str(wast)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    kill_qemu(before)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "Traceback" not in out + err
    assert "spin.wast:2: assert_return: guest exited with status -9" in out
    assert qemu_processes() == before and list(tmp.iterdir()) == []


def test_qemu_killed_during_a_debug_session(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    before = qemu_processes()
    proc = subprocess.Popen([OSBUILD, "debug", "--invoke", "run",
                             str(EXAMPLES / "debugme.wat"), "5"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None
    proc.stdin.write("break leaf\ncontinue\n")
    proc.stdin.flush()
    kill_qemu(before)
    out, err = proc.communicate("bt\nregs\nquit\n", timeout=60)
    assert proc.returncode == 1, (out, err)
    # One line; the socket error (broken pipe or reset by peer) depends on when QEMU died.
    [line] = err.splitlines()
    assert re.fullmatch(r"osbuild: error: the guest stopped during the debug session: "
                        r"QEMU's gdbstub connection broke \((Broken pipe|Connection reset by "
                        r"peer)\)", line), line
    assert qemu_processes() == before and list(tmp.iterdir()) == []


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A fresh tmpfs of ``size`` mounted at ``where`` for the block."""
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                   check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill_to(disk: Path, free: int) -> Path:
    """Write a filler file leaving about ``free`` bytes free on ``disk``."""
    filler = disk / "filler"
    st = os.statvfs(disk)
    size = max(st.f_bavail * st.f_frsize - free, 0)
    with open(filler, "ab") as f:
        f.truncate(0)
        try:
            f.write(b"\0" * size)
        except OSError:
            pass
    return filler


@needs_root
def test_cache_on_a_full_disk(tmp_path: Path) -> None:
    """The cache's disk fills at several moments of a cold build (0 to 1.5 MiB left: the
    kernel objects, the function units, the module object, the image): each attempt is one
    line naming the file and the disk, exit 1, no temp file, no QEMU; with room again the
    cache serves the same image a clean cache builds, and the program runs."""
    wasm = EXAMPLES / "wasi" / "cat.wasm"
    reference = tmp_path / "reference.elf"
    assert build_in(tmp_path / "clean", wasm, reference).returncode == 0
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    before = qemu_processes()
    with tmpfs(tmp_path / "disk", "16m") as disk:
        env = {**os.environ, "OSBUILD_CACHE_DIR": str(disk / "cache"), "TMPDIR": str(tmp)}
        failures = 0
        for free in (0, 64 << 10, 512 << 10, 1 << 20, 1536 << 10):
            filler = fill_to(disk, free)
            proc = osbuild("run", wasm, env=env, input="x", timeout=600)
            filler.unlink()
            if proc.returncode == 0:
                continue
            failures += 1
            lines = proc.stderr.splitlines()
            assert proc.returncode == 1 and len(lines) == 1, proc.stderr
            assert "No space left on device" in lines[0] and "internal" not in lines[0]
            assert list((disk / "cache" / "tmp").glob("*")) == []
            assert list(tmp.iterdir()) == []
        assert failures >= 3
        again = tmp_path / "again.elf"
        assert osbuild("image", wasm, "-o", again, env=env, timeout=600).returncode == 0
        assert again.read_bytes() == reference.read_bytes()
        proc = osbuild("run", wasm, env=env, input="some input\n", timeout=600)
        assert (proc.returncode, proc.stdout) == (0, "some input\n"), proc.stderr
    assert qemu_processes() == before and list(tmp.iterdir()) == []


@needs_root
def test_read_only_cache_and_image_folders(tmp_path: Path) -> None:
    """A read-only empty cache and a read-only output folder are one line each; a read-only
    cache that already holds the program's image still runs it."""
    with tmpfs(tmp_path / "ro", "16m") as ro:
        (ro / "cache").mkdir()
        env = {**os.environ, "OSBUILD_CACHE_DIR": str(ro / "cache")}
        assert osbuild("run", EXAMPLES / "hello.wat", env=env).returncode == 0
        (ro / "empty").mkdir()
        (ro / "out").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        proc = osbuild("run", EXAMPLES / "hello.wat", env=env)
        assert (proc.returncode, proc.stderr) == (0, ""), proc.stderr
        empty = {**os.environ, "OSBUILD_CACHE_DIR": str(ro / "empty")}
        proc = osbuild("run", EXAMPLES / "fib.wat", env=empty)
        lines = proc.stderr.splitlines()
        assert proc.returncode == 1 and len(lines) == 1, proc.stderr
        assert lines[0].startswith(f"osbuild: error: cannot write {ro / 'empty'}/")
        assert lines[0].endswith("Read-only file system (the cache is "
                                 f"{ro / 'empty'}; $OSBUILD_CACHE_DIR moves it)")
        proc = osbuild("image", EXAMPLES / "fib.wat", "-o", ro / "out" / "fib.elf")
        assert proc.returncode == 1
        assert proc.stderr == f"osbuild: error: cannot write {ro / 'out' / 'fib.elf'}: " \
            "Read-only file system\n"
