"""The cache (osbuild.cache) and the build pipeline's image cache: keys cover what shapes an
entry (an edited linker script rebuilds the image), entries are atomic, a cached run does not
load LLVM, and a test session keeps to its own cache directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, SESSION_ENV, osbuild
from elftools.elf.elffile import ELFFile

from osbuild import cache
from osbuild.boot import flags
from osbuild.host.pipeline import image_key

FIB = EXAMPLES / "fib.wat"
PROBE = "osb_cache_probe"


def test_key_parts_do_not_run_together() -> None:
    assert cache.make_key("ab", "c") != cache.make_key("a", "bc")
    assert cache.make_key(b"x") == cache.make_key("x")


def test_concurrent_fills_keep_one_entry(fresh_cache: Path) -> None:
    """Two builders of one entry: both finish, the first rename wins, no temporary is left."""
    dest = cache.entry("kind", "k")
    with cache.filling(dest) as first, cache.filling(dest) as second:
        (first / "a").write_text("first")
        (second / "a").write_text("second")
    assert (dest / "a").read_text() == "second"  # the inner block finished first
    assert [p.name for p in dest.parent.iterdir()] == ["k"]


def test_failed_fill_leaves_nothing(fresh_cache: Path) -> None:
    dest = cache.entry("kind", "k")
    with pytest.raises(RuntimeError), cache.filling(dest) as tmp:
        (tmp / "half").write_text("x")
        raise RuntimeError("build failed")
    assert list(dest.parent.iterdir()) == []


def test_flags_are_in_the_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """A different C flag changes the kernel's key and the image's; the fingerprints are
    computed from the real sources and tools."""
    def kernel_key() -> str:
        return cache.make_key(cache.kernel_fingerprint(), *flags.CFLAGS)

    before = kernel_key(), image_key(FIB, fuel=False)
    assert image_key(FIB, fuel=True) != before[1]
    monkeypatch.setattr(flags, "CFLAGS", [*flags.CFLAGS, "-DOSB_PROBE"])
    assert kernel_key() != before[0]
    assert image_key(FIB, fuel=False) != before[1]


def copy_package(dest: Path) -> Path:
    """The osbuild package laid out as installed (pkg/ is `osbuild`, the other folders its
    subpackages), for PYTHONPATH: a copy whose files a test may edit."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "pkg", dest / "osbuild", ignore=ignore)
    for sub in ("jit", "boot", "host", "guest"):
        shutil.copytree(ROOT / sub, dest / "osbuild" / sub, ignore=ignore)
    return dest


def images() -> set[Path]:
    return set((cache.cache_root() / "images").glob("*.elf"))


def has_probe(image: Path) -> bool:
    with open(image, "rb") as f:
        symtab = ELFFile(f).get_section_by_name(".symtab")
        return any(s.name == PROBE for s in symtab.iter_symbols())  # type: ignore[union-attr]


@pytest.mark.qemu
def test_editing_the_linker_script_rebuilds_the_image(tmp_path: Path) -> None:
    """`osbuild run` from a copy of the package whose boot/image.ld is edited builds a new
    image with the edit in it; the unedited copy keeps its own image."""
    base = copy_package(tmp_path / "base")
    edited = copy_package(tmp_path / "edited")
    script = edited / "osbuild" / "boot" / "image.ld"
    script.write_text(script.read_text() + f"\n{PROBE} = 0x5eed;\n")

    def run(package: Path) -> set[Path]:
        env = dict(os.environ, PYTHONPATH=str(package))
        r = subprocess.run([sys.executable, "-m", "osbuild.host.cli", "run", "--invoke", "fib",
                            str(FIB), "10"], capture_output=True, text=True, env=env,
                           timeout=300, check=False)
        assert (r.returncode, r.stdout) == (0, "55\n"), r.stderr
        return images()

    first = run(base)
    rebuilt = run(edited) - first
    assert len(rebuilt) == 1 and has_probe(next(iter(rebuilt)))
    assert not any(has_probe(p) for p in first)
    assert run(edited) == first | rebuilt  # cached now
    assert run(base) == first | rebuilt  # and the unedited package's image still serves


@pytest.mark.qemu
def test_cached_run_does_not_load_llvm(tmp_path: Path) -> None:
    """The first run of a module compiles it (LLVM loaded); the second finds the image by its
    key and boots it without importing llvmlite or the compiler."""
    module = tmp_path / "answer.wat"
    module.write_text(f'(module (func (export "f") (result i32) i32.const 42)) '
                      f';; {tmp_path}\n')  # unique bytes: never cached before
    probe = ("import sys\nfrom osbuild.host.cli import main\n"
             f"status = main(['run', '--invoke', 'f', {str(module)!r}])\n"
             "print(status, 'llvmlite' in sys.modules, 'osbuild.jit.compiler' in sys.modules)\n")

    def loaded() -> str:
        r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           timeout=300, check=False)
        assert r.stdout.startswith("42\n"), r.stderr
        return r.stdout.splitlines()[-1]

    assert loaded() == "0 True True"
    assert loaded() == "0 False False"


def test_session_cache_is_private(tmp_path: Path) -> None:
    """In a test session the cache is the session's own directory, and an `osbuild` the
    tests start builds there too."""
    root = cache.cache_root()
    assert root.is_relative_to(os.environ[SESSION_ENV])
    assert not root.is_relative_to(Path.home())
    r = osbuild("image", FIB, "-o", tmp_path / "fib.elf")
    assert r.returncode == 0, r.stderr
    assert list((root / "kernel").iterdir()) and list((root / "objects").iterdir())


def test_a_test_session_never_touches_home(tmp_path: Path) -> None:
    """A whole test session (the test above, which builds) with HOME pointed at an empty
    directory and no cache variables set: nothing appears under HOME, and the session's own
    directory is gone afterwards."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in (cache.CACHE_DIR_ENV, "XDG_CACHE_HOME", SESSION_ENV)}
    env.update(HOME=str(home), TMPDIR=str(tmp))
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        f"{__file__}::test_session_cache_is_private"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == 0 and "1 passed" in r.stdout, r.stdout + r.stderr
    assert list(home.rglob("*")) == []
    assert not list(tmp.glob("osbuild-tests-*"))
