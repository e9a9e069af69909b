"""Private temporary folders that a killed process does not leave behind for good.

A folder is named ``osbuild-<kind>-<pid>-<random>`` in the system temp folder. A process killed
by SIGKILL (or any signal that runs no cleanup) leaves its folder; the next osbuild process to
make one of the same kind removes every folder of that kind whose process is gone. A live
process's folder is never touched: its pid still answers signal 0.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

NAME = re.compile(r"osbuild-(?P<kind>[a-z]+)-(?P<pid>\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def sweep(kind: str, root: Path | None = None) -> list[Path]:
    """Remove the folders of ``kind`` whose process is gone; the paths removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        m = NAME.match(entry.name)
        if m is None or m["kind"] != kind or not entry.is_dir(follow_symlinks=False):
            continue
        pid = int(m["pid"])
        if pid == os.getpid() or _alive(pid):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed


def private_dir(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A new temporary folder for ``kind`` (a `with` block or ``.cleanup()`` removes it),
    after sweeping the folders of killed processes of the same kind."""
    sweep(kind)
    return tempfile.TemporaryDirectory(prefix=f"osbuild-{kind}-{os.getpid()}-")


def private_path(kind: str) -> Path:
    """As `private_dir`, for a folder the caller removes itself (shutil.rmtree)."""
    sweep(kind)
    return Path(tempfile.mkdtemp(prefix=f"osbuild-{kind}-{os.getpid()}-"))
