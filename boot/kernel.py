"""Building the guest kernel: guest/*.c and *.S compiled by clang, cached by content hash.

The kernel is rebuilt only when a source file or the flags change; the object directory is
built in a temporary directory and renamed into place, so a failed or interrupted build never
leaves a half-filled cache entry.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from osbuild.errors import ToolMissing, UserError
from osbuild.jit.cache import cache_root

CFLAGS = [
    "--target=riscv64-unknown-elf", "-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany",
    "-mno-relax", "-ffreestanding", "-fno-builtin", "-nostdlib", "-std=c11", "-Wall",
    "-Wextra", "-Werror", "-O2", "-fno-omit-frame-pointer", "-fno-stack-protector",
]


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} not found: install {package} (apt-get install {package})")
    return path


def sources() -> list[Path]:
    root = resources.files("osbuild.guest")
    return sorted(Path(str(p)) for p in root.iterdir()
                  if p.name.endswith((".c", ".S", ".h", ".def")))


def compile_c(src: Path, out: Path, include: Path) -> None:
    proc = subprocess.run([tool("clang", "clang"), *CFLAGS, "-I", str(include), "-c", str(src),
                           "-o", str(out)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        first = next((ln for ln in proc.stderr.splitlines() if "error" in ln), proc.stderr)
        raise UserError(f"kernel build failed: {first.strip()}")


def kernel_objects() -> list[Path]:
    """The kernel's object files, built on first use and cached."""
    srcs = sources()
    h = hashlib.sha256(" ".join(CFLAGS).encode())
    for s in srcs:
        h.update(s.name.encode())
        h.update(s.read_bytes())
    entry = cache_root() / "kernel" / h.hexdigest()[:24]
    if not entry.exists():
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".build.", dir=entry.parent))
        try:
            for s in srcs:
                if s.suffix in (".c", ".S"):
                    compile_c(s, tmp / (s.name + ".o"), s.parent)
            try:
                os.rename(tmp, entry)
            except OSError:  # built concurrently by another process
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return sorted(entry.glob("*.o"))
