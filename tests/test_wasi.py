"""WASI preview 1, differential: each example program runs under `osbuild run` and under the
wasmtime package with the same argv, environment and stdin; stdout, stderr and the exit status
must be identical. The programs are built from examples/wasi/*.c by `make wasi-examples`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from difftest import fuel_engine, smallest_budget

ROOT = Path(__file__).resolve().parent.parent
WASI = ROOT / "examples" / "wasi"
OSBUILD = str(Path(sys.executable).parent / "osbuild")

pytestmark = pytest.mark.qemu


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    subprocess.run(["make", "-s", "wasi-examples"], cwd=ROOT, check=True)


def under_wasmtime(wasm: Path, args: list[str], env: dict[str, str], stdin: bytes,
                   tmp: Path) -> tuple[bytes, bytes, int]:
    import wasmtime

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    cfg = wasmtime.WasiConfig()
    cfg.argv = [wasm.name, *args]
    cfg.env = list(env.items())
    (tmp / "in").write_bytes(stdin)
    cfg.stdin_file = str(tmp / "in")
    cfg.stdout_file = str(tmp / "out")
    cfg.stderr_file = str(tmp / "err")
    store.set_wasi(cfg)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    inst = linker.instantiate(store, wasmtime.Module.from_file(engine, str(wasm)))
    status = 0
    try:
        inst.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        status = e.code
    return (tmp / "out").read_bytes(), (tmp / "err").read_bytes(), status


def under_osbuild(wasm: Path, args: list[str], env: dict[str, str],
                  stdin: bytes) -> tuple[bytes, bytes, int]:
    env_args = [a for k, v in env.items() for a in ("--env", f"{k}={v}")]
    r = subprocess.run([OSBUILD, "run", *env_args, str(wasm), *args], input=stdin,
                       capture_output=True, timeout=120, check=False, env=dict(os.environ))
    return r.stdout, r.stderr, r.returncode


CASES = [
    ("args", [], {}, b""),
    ("args", ["one", "two words", "-7"], {"NAME": "osbuild"}, b""),
    ("args", ["x"], {"NAME": "ü ☃", "OTHER": "1"}, b""),
    ("wc", [], {}, b""),
    ("wc", [], {}, b"one two\nthree\n"),
    ("wc", [], {}, bytes(range(256)) * 40),
    ("clock", [], {}, b""),
]


@pytest.mark.parametrize(("program", "args", "env", "stdin"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_same_as_wasmtime(tmp_path: Path, program: str, args: list[str], env: dict[str, str],
                          stdin: bytes) -> None:
    wasm = WASI / f"{program}.wasm"
    ours = under_osbuild(wasm, args, env, stdin)
    theirs = under_wasmtime(wasm, args, env, stdin, tmp_path)
    assert ours == theirs


def tree(root: Path) -> dict[str, bytes | None]:
    """Every path below root with its content (None for directories)."""
    return {str(p.relative_to(root)): None if p.is_dir() else p.read_bytes()
            for p in sorted(root.rglob("*"))}


def with_dir_wasmtime(wasm: Path, args: list[str], host: Path, guest: str,
                      tmp: Path) -> tuple[bytes, bytes, int]:
    import wasmtime

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    cfg = wasmtime.WasiConfig()
    cfg.argv = [wasm.name, *args]
    cfg.preopen_dir(str(host), guest)
    cfg.stdout_file = str(tmp / "out")
    cfg.stderr_file = str(tmp / "err")
    store.set_wasi(cfg)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    inst = linker.instantiate(store, wasmtime.Module.from_file(engine, str(wasm)))
    status = 0
    try:
        inst.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        status = e.code
    return (tmp / "out").read_bytes(), (tmp / "err").read_bytes(), status


DIR_CASES = [
    ("upper", ["data/in.txt", "data/out.txt"], {"in.txt": b"hello\nworld\n" * 300}),
    ("upper", ["data/missing.txt", "data/out.txt"], {}),
    ("upper", ["data/../../etc/passwd", "data/out.txt"], {}),
    ("fsops", ["data"], {"keep.txt": b"x\n"}),
    ("syscalls", ["data"], {}),
]


@pytest.mark.parametrize(("program", "args", "files"), DIR_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(DIR_CASES)])
def test_directory_effects_match_wasmtime(tmp_path: Path, program: str, args: list[str],
                                          files: dict[str, bytes]) -> None:
    """Output, status and the resulting host directory tree are the same as wasmtime's."""
    wasm = WASI / f"{program}.wasm"
    ours_dir, theirs_dir = tmp_path / "ours", tmp_path / "theirs"
    for d in (ours_dir, theirs_dir):
        d.mkdir()
        for name, content in files.items():
            (d / name).write_bytes(content)
    r = subprocess.run([OSBUILD, "run", "--dir", f"{ours_dir}::data", str(wasm), *args],
                       capture_output=True, timeout=120, check=False)
    theirs = with_dir_wasmtime(wasm, args, theirs_dir, "data", tmp_path)
    assert (r.stdout, r.stderr, r.returncode) == theirs
    assert tree(ours_dir) == tree(theirs_dir)


def test_bad_dir_is_one_line(tmp_path: Path) -> None:
    r = subprocess.run([OSBUILD, "run", "--dir", str(tmp_path / "nope"),
                        str(WASI / "args.wasm")], capture_output=True, text=True, check=False)
    assert r.returncode == 1 and "no such directory" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "status"),
    [([str(WASI / "args.wasm")], 0),
     (["--invoke", "unreachable", str(ROOT / "examples" / "traps.wat")], 134),
     (["--timeout", "0.5", "--invoke", "spin", str(ROOT / "examples" / "traps.wat")], 134)],
    ids=["exits", "traps", "timeout"])
def test_nothing_left_behind(tmp_path: Path, args: list[str], status: int) -> None:
    """No QEMU process and no temporary file survive a run, however it ends."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    r = subprocess.run([OSBUILD, "run", *args], capture_output=True, timeout=120, check=False,
                       env=dict(os.environ, TMPDIR=str(tmp)))
    assert r.returncode == status, r.stderr
    assert list(tmp.iterdir()) == []
    ps = subprocess.run(["ps", "-eo", "comm"], capture_output=True, text=True, check=True)
    assert not [ln for ln in ps.stdout.splitlines() if ln.startswith("qemu-system")]


def test_fuel_budget_matches_wasmtime(tmp_path: Path) -> None:
    """A C program's smallest sufficient `--fuel` is wasmtime's: same compiled-code rules
    (tests/test_fuel.py) and the same WASI answers (e.g. fd_write writes only the first
    non-empty buffer, so libc makes the same calls on both)."""
    import wasmtime

    wasm = WASI / "args.wasm"
    engine = fuel_engine()
    module = wasmtime.Module.from_file(engine, str(wasm))

    def completes(fuel: int) -> bool:
        store = wasmtime.Store(engine)
        store.set_fuel(fuel)
        wasi = wasmtime.WasiConfig()
        wasi.argv = [wasm.name, "a", "b"]
        wasi.stdout_file = str(tmp_path / "out")
        wasi.stderr_file = str(tmp_path / "err")
        store.set_wasi(wasi)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        inst = linker.instantiate(store, module)
        try:
            inst.exports(store)["_start"](store)
        except wasmtime.ExitTrap:
            return True
        except wasmtime.Trap:
            return False
        return True

    hi = smallest_budget(completes)

    def ours(fuel: int) -> int:
        return subprocess.run([OSBUILD, "run", "--fuel", str(fuel), str(wasm), "a", "b"],
                              capture_output=True, timeout=120, check=False).returncode

    assert ours(hi) == 3  # args exits 3 when given two arguments
    assert ours(hi - 1) == 134
