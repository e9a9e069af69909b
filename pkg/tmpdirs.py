"""Private temporary folders that a killed process does not leave behind for good.

A folder is named ``osbuild-<kind>-<pid>-<random>`` in the system temp folder. A process killed
by SIGKILL (or any signal that runs no cleanup) leaves its folder; the next osbuild process to
make one removes every such folder whose process is gone. A live
process's folder is never touched: its pid still answers signal 0.

Every temporary path this process holds is also in a registry (`hold`/`release`), so that a
stop that cannot wait for the code holding it to unwind (host/cli.py's watchdog, after a signal
that arrived while LLVM runs) still removes them all (`remove_held`).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

NAME = re.compile(r"osbuild-(?P<kind>[a-z]+)-(?P<pid>\d+)-")


_held: set[str] = set()
_lock = threading.Lock()


def hold(path: str | os.PathLike[str]) -> None:
    """Record a temporary path of this process (removed by `remove_held` on a hard stop)."""
    with _lock:
        _held.add(os.fspath(path))


def release(path: str | os.PathLike[str]) -> None:
    """The path is gone or has become a real entry: no longer this process's to remove."""
    with _lock:
        _held.discard(os.fspath(path))


def remove_held() -> None:
    """Remove every temporary path this process still holds (files and folders)."""
    with _lock:
        paths = sorted(_held)
        _held.clear()
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (it answers signal 0)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def sweep(kind: str | None, root: Path | None = None) -> list[Path]:
    """Remove the folders of ``kind`` (None: of every kind) whose process is gone; the paths
    removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        m = NAME.match(entry.name)
        if m is None or kind not in (None, m["kind"]) or not entry.is_dir(follow_symlinks=False):
            continue
        pid = int(m["pid"])
        if pid == os.getpid() or process_alive(pid):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


class PrivateDir(tempfile.TemporaryDirectory):  # type: ignore[type-arg]
    """A TemporaryDirectory that is held (see `hold`) while it exists."""

    def __init__(self, prefix: str, root: str | None = None) -> None:
        super().__init__(prefix=prefix, dir=root)
        hold(self.name)

    def cleanup(self) -> None:
        super().cleanup()
        release(self.name)


def private_dir(kind: str, root: Path | None = None) -> tempfile.TemporaryDirectory[str]:
    """A new temporary folder for ``kind`` (a `with` block or ``.cleanup()`` removes it),
    after sweeping the folders of killed processes (of every kind: a cached `run` after a
    killed build removes the build's `osbuild-units-*` too)."""
    sweep(None, root)
    return PrivateDir(f"osbuild-{kind}-{os.getpid()}-", None if root is None else str(root))


def private_path(kind: str) -> Path:
    """As `private_dir`, for a folder the caller removes itself (shutil.rmtree; it stays
    held, so a hard stop removes it too)."""
    sweep(None)
    path = Path(tempfile.mkdtemp(prefix=f"osbuild-{kind}-{os.getpid()}-"))
    hold(path)
    return path
