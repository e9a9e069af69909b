"""build_image: kernel + module objects + generated manifest → one bootable ELF (ld.lld).

The output is written to a temporary file next to the destination and renamed over it
(cache.install_file), so a failed link never leaves a truncated image where a good one was.
"""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources
from pathlib import Path

from osbuild import cache
from osbuild.errors import UserError
from osbuild.jit.artifact import CompiledModule
from osbuild.tmpdirs import private_dir

from . import flags
from .kernel import compile_c, failure, kernel_objects, tool, tool_env
from .manifest import manifest_c


def linker_script() -> Path:
    return Path(str(resources.files("osbuild.boot") / "image.ld"))


def writable_sections(obj: Path) -> list[str]:
    """Names of the sections of ``obj`` that would be writable memory in the image.

    Module code runs in U-mode from read-only pages shared by every instance, so such data
    could be neither placed nor shared safely. image.ld refuses it as well; checking here
    first lets the error name the module.
    """
    from elftools.elf.constants import SH_FLAGS
    from elftools.elf.elffile import ELFFile

    want = SH_FLAGS.SHF_ALLOC | SH_FLAGS.SHF_WRITE
    with open(obj, "rb") as f:
        return [s.name for s in ELFFile(f).iter_sections()
                if s["sh_flags"] & want == want and s["sh_size"] > 0 and s.name != FOLD_TABLE]


# The pc table of positive folded accesses (jit/memory.py): LLVM marks its `!pcsections`
# output writable, but it is the kernel's to read, and image.ld places it in the kernel's part
# of the image, which U-mode never maps.
FOLD_TABLE = "osb_fold"


def check_read_only(module: CompiledModule) -> None:
    """Refuse a module object with writable data, naming the module and the sections."""
    names = writable_sections(module.object_path)
    if names:
        raise UserError(f"module {module.meta.get('name', module.prefix)} ({module.prefix}) "
                        f"has writable data ({', '.join(names)}); module code must be read-only")


def build_image(modules: list[CompiledModule], out: Path,
                programs: list[dict] | None = None) -> Path:
    """Link an image that instantiates ``modules`` (manifest index = list index); with
    ``programs``, an image of several programs (host/programs.py) that says how to run them."""
    out = Path(out)
    kernel = kernel_objects()
    guest_dir = Path(str(resources.files("osbuild.guest")))
    with private_dir("link") as tmp:
        work = Path(tmp)
        objects: dict[str, Path] = {}
        for m in modules:  # identical modules share one object
            if m.prefix not in objects:
                check_read_only(m)
                objects[m.prefix] = work / f"wasm_{m.prefix}.o"
                shutil.copyfile(m.object_path, objects[m.prefix])
        (work / "manifest.c").write_text(manifest_c([m.meta for m in modules], programs))
        compile_c(work / "manifest.c", work / "manifest.o", guest_dir)
        linked = work / "image.elf"
        # Module objects are named by file so that the linker script can place them in the
        # user region; they are passed relative to the work directory.
        args = [tool("ld.lld", "lld"), *flags.LDFLAGS, "-T", str(linker_script()),
                "-o", str(linked), *map(str, kernel), "manifest.o",
                *(p.name for p in objects.values())]
        proc = subprocess.run(args, cwd=work, capture_output=True, text=True, check=False,
                              env=tool_env(work))
        if proc.returncode != 0:
            raise UserError(f"linking the image failed: {failure(proc, 'ld.lld', work)}")
        try:
            cache.install_file(linked, out)
        except OSError as e:
            raise UserError(f"cannot write {out}: {e.strerror or e}") from None
    return out


__all__ = ["build_image"]
