"""The build pipeline: decode → compile → check imports → link, and the image cache.

Every image is built here: `osbuild image` and `run` (one program), the spec runner (every
module of a script), the differential harness and the tests. It lives in host/ because it
joins the three lower layers: jit/ compiles, boot/ links (and is tested without the compiler),
and the import check reads what the kernel provides. The compiler and the linker are imported
only when something is built, so a cached `osbuild run` loads neither LLVM nor wasm-tools.

The import check is explicit, because what may be imported depends on the image:
- ``Imports.HOST``: a program. Every import must be a host function (guest/hostfns.def,
  wasi.def) or a spectest object; a mismatch fails the build naming the import and both types.
- ``Imports.AT_INSTANTIATION``: modules that link to each other (a spec script's `register`)
  or whose link errors are the subject (assert_unlinkable, the harness): the kernel resolves
  imports when instantiating and answers a link error frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from pathlib import Path

from osbuild import cache

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (issue 14)
if TYPE_CHECKING:
    from osbuild.jit.artifact import CompiledModule


class Imports(Enum):
    """Who checks a module's imports."""

    HOST = "host"
    AT_INSTANTIATION = "at-instantiation"


def load(path: Path) -> bytes:
    """Decode: a .wasm or .wat file → validated module bytes (one-line errors)."""
    from osbuild.jit.wasmtools import load_wasm

    return load_wasm(path)


def compile_wasm(data: bytes, name: str, *, fuel: bool = False, tier: str = "opt",
                 jobs: int | None = None) -> CompiledModule:
    """Compile one validated module (cached); ``fuel`` adds the `--fuel` budget checks,
    ``tier`` is "opt" or "fast", ``jobs`` the worker processes (jit/compiler.py)."""
    from osbuild.jit.compiler import compile_module

    return compile_module(data, name, fuel=fuel, tier=tier, jobs=jobs)


def link(modules: Sequence[CompiledModule], out: Path, *, imports: Imports,
         programs: list[dict] | None = None) -> Path:
    """Check the imports as ``imports`` says, then link the image (manifest index = position);
    ``programs``: how an image of several programs runs them (host/programs.py)."""
    from osbuild.boot.image import build_image

    if imports is Imports.HOST:
        from .imports import check_imports

        for module in modules:
            check_imports(module.meta)
    return build_image(list(modules), out, programs)


def build(wasms: Sequence[tuple[bytes, str]], out: Path, *, fuel: bool = False,
          imports: Imports = Imports.HOST, tier: str = "opt",
          jobs: int | None = None, programs: list[dict] | None = None) -> Path:
    """Compile (module bytes, name) pairs and link them into one image."""
    return link([compile_wasm(data, name, fuel=fuel, tier=tier, jobs=jobs)
                 for data, name in wasms], out, imports=imports, programs=programs)


def build_files(paths: Sequence[Path], out: Path, *, fuel: bool = False,
                imports: Imports = Imports.HOST, tier: str = "opt",
                jobs: int | None = None) -> Path:
    """The whole pipeline for module files, each named by its file name's stem."""
    return build([(load(p), p.stem) for p in paths], out, fuel=fuel, imports=imports,
                 tier=tier, jobs=jobs)


def image_key(*paths: Path, fuel: bool, tier: str = "opt", programs: str = "") -> str:
    """The image cache key of program files: their bytes and names (module names in the
    image), the programs' description of an image of several (host/programs.py), the
    options, the image fingerprint (sources and tools) and the kernel's C flags and the
    linker's flags."""
    from osbuild.boot import flags

    files = [part for path in paths for part in (path.read_bytes(), path.stem)]
    described = [programs] if programs else []
    return cache.make_key(*files, *described, f"fuel={fuel}", f"tier={tier}",
                          f"imports={Imports.HOST.value}", cache.image_fingerprint(),
                          *flags.CFLAGS, "--", *flags.LDFLAGS)


def cached_image(path: Path, fuel: bool = False, tier: str = "opt",
                 jobs: int | None = None) -> Path:
    """The image of a program file, built once per key. The key reads the file's bytes, not
    the decoded module, so a cached run needs neither wasm-tools nor LLVM. A "fast" image is
    not built when the "opt" one is cached: the optimized code behaves the same, faster."""
    if tier == "fast":
        better = cache.entry("images", image_key(path, fuel=fuel, tier="opt"), ".elf")
        if better.exists():
            return better
    out = cache.entry("images", image_key(path, fuel=fuel, tier=tier), ".elf")
    if not out.exists():
        build_files([path], out, fuel=fuel, tier=tier, jobs=jobs)
    return out
