"""Fault injection: QEMU killed under a run and under the embedding API, a build killed while it
writes the cache, eight runs of different programs at once on a cold cache. Each ends with a
clear message and a non-zero status where something failed, leaves no QEMU and no temp folder,
and the cache stays correct (a rebuild is byte-identical to a build in an empty cache)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
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
    next build with the same cache is byte-identical to one in an empty cache."""
    wasm = EXAMPLES / "wasi" / "cat.wasm"
    reference = tmp_path / "reference.elf"
    assert build_in(tmp_path / "clean", wasm, reference).returncode == 0
    cache = tmp_path / "cache"
    for delay in (0.5, 1.5, 3.0):
        env = {**os.environ, "OSBUILD_CACHE_DIR": str(cache)}
        proc = subprocess.Popen([OSBUILD, "image", str(wasm), "-o", str(tmp_path / "k.elf")],
                                env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its compiler workers
        proc.wait()
    again = tmp_path / "again.elf"
    proc = build_in(cache, wasm, again)
    assert proc.returncode == 0, proc.stderr
    assert again.read_bytes() == reference.read_bytes()


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
