"""Building the guest kernel: guest/*.c and *.S compiled by clang, cached (osbuild.cache).

The kernel is rebuilt only when something that shapes it changes: a guest/ source, the flags,
this builder or clang (cache.kernel_fingerprint). The object directory is filled aside and
renamed into place, so a failed or interrupted build never leaves a half-filled cache entry.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from importlib import resources
from pathlib import Path

from osbuild import cache
from osbuild.errors import ToolMissing, UserError

from . import flags


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} not found: install {package} (apt-get install {package})")
    return path


def failure(proc: subprocess.CompletedProcess, tool_name: str, out_dir: Path) -> str:
    """The one line saying why a tool (clang, ld.lld) failed: its first error line; if it
    died of a signal (ld.lld writes its output through mmap and dies of SIGBUS on a full
    disk), that, and whether the disk of ``out_dir`` is full."""
    lines = proc.stderr.splitlines()
    first = next((ln.strip() for ln in lines if "error:" in ln), None)
    if proc.returncode >= 0:
        return first or (lines[0].strip() if lines else f"{tool_name} exit status "
                         f"{proc.returncode}")
    reason = f"{tool_name} died of {signal.Signals(-proc.returncode).name}"
    try:
        if shutil.disk_usage(out_dir).free < 1 << 20:
            reason += f": No space left on device ({out_dir})"
    except OSError:
        pass
    return reason


def sources() -> list[Path]:
    root = resources.files("osbuild.guest")
    return sorted(Path(str(p)) for p in root.iterdir()
                  if p.name.endswith((".c", ".S", ".h", ".def")))


def tool_env(work: Path) -> dict[str, str]:
    """The environment of clang and ld.lld: their temporary files in ``work`` (a folder that
    is removed, or swept, with the build), and no symbolized stack dump when one dies of a
    signal (ld.lld dies of SIGBUS writing to a full disk: LLVM's crash handler would leave
    `symbolizer-input-*` files in the temporary folder; the failure is reported anyway)."""
    return {**os.environ, "TMPDIR": str(work), "LLVM_DISABLE_SYMBOLIZATION": "1"}


def compile_c(src: Path, out: Path, include: Path) -> None:
    """Compile one C or assembly file. clang's own temporary files (the preprocessed .s of an
    .S) go beside ``out``, in a folder that is removed, or swept, with the build: a build
    killed while clang runs leaves none in the system's temporary folder."""
    env = tool_env(out.parent)
    proc = subprocess.run([tool("clang", "clang"), *flags.CFLAGS, "-I", str(include), "-c",
                           str(src), "-o", str(out)], capture_output=True, text=True, check=False,
                          env=env)
    if proc.returncode != 0:
        raise UserError(f"kernel build failed: {failure(proc, 'clang', out.parent)}")


def kernel_objects() -> list[Path]:
    """The kernel's object files, built on first use and cached."""
    entry = cache.entry("kernel", cache.make_key(cache.kernel_fingerprint(), *flags.CFLAGS))
    if not entry.exists():
        with cache.filling(entry) as tmp:
            for s in sources():
                if s.suffix in (".c", ".S"):
                    compile_c(s, tmp / (s.name + ".o"), s.parent)
    return sorted(entry.glob("*.o"))
