"""What every test file shares: a private osbuild cache per test session, the repository's
paths, the `osbuild` command runner, QEMU process counting, the guest fixture harness and the
wasmtime WASI oracle.

The session's cache lives in a temporary directory set (OSBUILD_CACHE_DIR, and XDG_CACHE_HOME
for any other tool) before any test module is collected, and every `osbuild` or QEMU process
the tests start inherits it: a test session never reads or writes ~/.cache, so it neither
trusts entries of the developer's machine nor leaves entries behind. Test files import the
helpers with `from conftest import ...` (tests/ is on sys.path, as for difftest).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
import wasmtime
from difftest import fuel_engine

from osbuild.cache import CACHE_DIR_ENV

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
EXAMPLES = ROOT / "examples"
GUEST_FIXTURES = TESTS / "fixtures" / "guest"
OSBUILD = str(Path(sys.executable).parent / "osbuild")
# Inherited by every process the session starts; tells its QEMUs apart from other sessions'.
SESSION_ENV = "OSBUILD_TEST_SESSION"


def pytest_configure(config: pytest.Config) -> None:
    session = tempfile.mkdtemp(prefix="osbuild-tests-")
    os.environ[SESSION_ENV] = session
    os.environ[CACHE_DIR_ENV] = os.path.join(session, "osbuild")
    os.environ["XDG_CACHE_HOME"] = os.path.join(session, "xdg")


def pytest_unconfigure(config: pytest.Config) -> None:
    session = os.environ.pop(SESSION_ENV, None)
    if session:
        shutil.rmtree(session, ignore_errors=True)


@contextmanager
def private_cache(directory: Path) -> Iterator[Path]:
    """Point osbuild's cache at ``directory`` for the block (tests that need it empty)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(CACHE_DIR_ENV, str(directory))
        yield directory


@pytest.fixture
def fresh_cache(tmp_path: Path) -> Iterator[Path]:
    """An empty osbuild cache for one test."""
    with private_cache(tmp_path / "cache") as directory:
        yield directory


def osbuild(*args: str | Path, timeout: float = 120, text: bool = True,
            input: bytes | str | None = None, env: dict[str, str] | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the installed `osbuild` command as a user would (in the repository, with the
    session's environment unless ``env`` is given)."""
    return subprocess.run([OSBUILD, *map(str, args)], capture_output=True, text=text,
                          input=input, timeout=timeout, env=env, cwd=cwd, check=False)


def qemu_processes() -> list[int]:
    """The live (not zombie) QEMU processes this test session started, directly or through an
    `osbuild` subprocess: they carry the session's marker in their environment, so QEMUs of
    other sessions on the same machine do not count."""
    marker = f"{SESSION_ENV}={os.environ[SESSION_ENV]}".encode()
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{pid}/environ", "rb") as f:
                environ = f.read().split(b"\0")
        except OSError:  # gone, or not ours to read
            continue
        name, state = stat[stat.index(b"(") + 1:stat.rindex(b")")], stat[stat.rindex(b")") + 2:]
        if name.startswith(b"qemu-system") and not state.startswith(b"Z") and marker in environ:
            found.append(int(pid))
    return found


@functools.cache
def guest_harness() -> ModuleType:
    """tests/fixtures/guest/harness.py: the hand-written module against the kernel ABI."""
    spec = importlib.util.spec_from_file_location("guest_harness", GUEST_FIXTURES / "harness.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@functools.cache
def wasmtime_module(wasm: Path, metered: bool) -> tuple[wasmtime.Engine, wasmtime.Module]:
    """A compiled module per file (and fuel metering), shared by the tests of a session."""
    engine = fuel_engine() if metered else wasmtime.Engine()
    return engine, wasmtime.Module.from_file(engine, str(wasm))


def under_wasmtime(wasm: Path, args: list[str], tmp: Path, *, env: dict[str, str] | None = None,
                   stdin: bytes = b"", preopen: tuple[Path, str] | None = None,
                   fuel: int | None = None) -> tuple[bytes, bytes, int]:
    """Run a WASI program in the wasmtime package as `osbuild run` runs it (argv[0] is the
    file name; stdin, stdout and stderr through files in ``tmp``): its stdout, stderr and exit
    status, a trap counting as status 134 as ours does. With ``fuel`` the engine meters the
    run and running out raises wasmtime.Trap instead, so a caller can search budgets."""
    engine, module = wasmtime_module(wasm, fuel is not None)
    store = wasmtime.Store(engine)
    if fuel is not None:
        store.set_fuel(fuel)
    cfg = wasmtime.WasiConfig()
    cfg.argv = [wasm.name, *args]
    cfg.env = list((env or {}).items())
    (tmp / "in").write_bytes(stdin)
    cfg.stdin_file, cfg.stdout_file, cfg.stderr_file = (str(tmp / n) for n in ("in", "out", "err"))
    if preopen is not None:
        cfg.preopen_dir(str(preopen[0]), preopen[1])
    store.set_wasi(cfg)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    instance = linker.instantiate(store, module)
    status = 0
    try:
        instance.exports(store)["_start"](store)  # type: ignore[operator]
    except wasmtime.ExitTrap as e:
        status = e.code
    except wasmtime.Trap:
        if fuel is not None:
            raise
        status = 134
    except wasmtime.WasmtimeError:  # a host error (not a trap): `wasmtime run` exits 1
        status = 1
    return (tmp / "out").read_bytes(), (tmp / "err").read_bytes(), status
