"""Where compiled artifacts are cached and what invalidates them, without importing LLVM
(so that running a cached image does not pay for loading the compiler)."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
from pathlib import Path


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "osbuild"


@functools.cache
def compiler_fingerprint() -> str:
    """Changes whenever the compiler's source or the LLVM binding changes."""
    spec = importlib.util.find_spec("llvmlite")  # locate, not import: LLVM loads slowly
    version = Path(spec.origin).with_name("_version.py") if spec and spec.origin else None
    h = hashlib.sha256(version.read_bytes() if version and version.exists() else b"?")
    for src in sorted(Path(__file__).parent.glob("*.py")):
        h.update(src.name.encode())
        h.update(src.read_bytes())
    return h.hexdigest()
