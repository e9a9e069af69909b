"""WASI conformance, with wasmtime as the oracle: each program of tests/wasi_conformance/ (C,
built by `make wasi-conformance`) covers part of what the official wasi-testsuite checks and
prints what it observes (errno names, file types, sizes, relations). It runs under
`osbuild run` and under the wasmtime package, each on a fresh copy of the same fixture tree
preopened as `/` (as the official runner drives `wasmtime run --dir ROOT::/`), with the same
argv and environment; stdout, stderr, the exit status and the resulting tree (including what
lies outside the preopen, which symlinks point at) must be identical. Nothing is expected
but what wasmtime does."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, TESTS, osbuild, under_wasmtime

CONFORMANCE = TESTS / "wasi_conformance"
PROGRAMS = sorted(p.stem for p in CONFORMANCE.glob("*.c"))
ENV = {"CONFORMANCE": "1"}

pytestmark = pytest.mark.qemu


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    subprocess.run(["make", "-s", "wasi-conformance"], cwd=ROOT, check=True)


def fixture_tree(top: Path) -> Path:
    """top/root (the preopen) with files, directories and symlinks, and top/secret.txt
    outside it, which the escaping symlinks point at. Returns the preopen's path."""
    root = top / "root"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"hello\n")
    (root / "sub" / "b.txt").write_bytes(b"bee\n" * 100)
    (root / "empty").mkdir()
    (top / "secret.txt").write_bytes(b"outside the preopen\n")
    links = {"link_a": "a.txt", "link_sub": "sub", "link_dangling": "nowhere",
             "link_self": "link_self", "link_up": "../secret.txt", "link_abs": "/etc/passwd",
             "sub/link_parent": "..", "sub/link_escape": "../../secret.txt",
             "sub/link_b": "../sub/b.txt"}
    for name, target in links.items():
        (root / name).symlink_to(target)
    return root


def tree(top: Path) -> dict[str, object]:
    """Every path below top: file contents, "dir", or the symlink's target (never followed)."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            key = str(p.relative_to(top))
            if p.is_symlink():
                out[key] = ("symlink", os.readlink(p))
            elif p.is_dir():
                out[key] = "dir"
            else:
                out[key] = p.read_bytes()
    return out


def under_osbuild(wasm: Path, args: list[str], root: Path) -> tuple[bytes, bytes, int]:
    env_args = [a for k, v in ENV.items() for a in ("--env", f"{k}={v}")]
    r = osbuild("run", "--dir", f"{root}::/", *env_args, wasm, *args, text=False, input=b"")
    return r.stdout, r.stderr, r.returncode


@pytest.mark.parametrize("program", PROGRAMS)
def test_agrees_with_wasmtime(tmp_path: Path, program: str) -> None:
    wasm = CONFORMANCE / f"{program}.wasm"
    ours_top, theirs_top = tmp_path / "ours", tmp_path / "theirs"
    ours_root, theirs_root = fixture_tree(ours_top), fixture_tree(theirs_top)
    theirs = under_wasmtime(wasm, ["/"], tmp_path, env=ENV, preopen=(theirs_root, "/"))
    ours = under_osbuild(wasm, ["/"], ours_root)
    assert ours[2] == theirs[2], (ours, theirs)
    assert ours[1].decode(errors="replace") == theirs[1].decode(errors="replace")
    assert ours[0].decode(errors="replace") == theirs[0].decode(errors="replace")
    assert tree(ours_top) == tree(theirs_top)
