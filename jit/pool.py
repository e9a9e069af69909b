"""Worker processes that compile units (jit/units.py) in parallel.

Workers are started with ``forkserver`` (LLVM is preloaded once into the server, and no worker
inherits the caller's threads or open QEMU sockets); each one maps the module file read-only
(the page cache's one copy, shared by every worker, instead of a private copy per worker),
decodes the module without its bodies, then compiles batches of functions, writing each object
to the path the main process chose (its cache entry). Only paths and counts travel back, so the
main process holds neither IR nor objects.
"""

from __future__ import annotations

import mmap
import multiprocessing
from collections.abc import Callable, Sequence
from pathlib import Path

from osbuild import cache

from .units import UnitCompiler

# (what, index, destination of its object): ("f", wasm function index) or ("level", part of
# the module-level unit: jit/module.py `module_level_parts`)
Task = tuple[str, int, Path]

_worker: UnitCompiler | None = None


def _init(module: Path, fuel: bool, tier: str) -> None:
    global _worker  # noqa: PLW0603 - one compiler per worker process
    with module.open("rb") as f:  # the mapping outlives the file object
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    _worker = UnitCompiler(data, fuel, tier)


def compile_task(compiler: UnitCompiler, task: Task) -> None:
    what, index, dest = task
    obj = compiler.function_object(index) if what == "f" else compiler.part_object(index)
    cache.write_file(dest, obj)


def _compile(batch: Sequence[Task]) -> int:
    assert _worker is not None
    for task in batch:
        compile_task(_worker, task)
    return len(batch)


def batches(tasks: Sequence[Task], sizes: Sequence[int], jobs: int) -> list[list[Task]]:
    """Split ``tasks`` (with their body sizes) into batches of similar size, largest
    functions first: enough batches per worker (8) that one slow function does not leave the
    others idle at the end, few enough that sending them costs nothing; the big functions
    start first so that the last batches are small."""
    total = sum(sizes) or 1
    target = max(total // (jobs * 8), 1)
    out: list[list[Task]] = [[]]
    acc = 0
    order = sorted(zip(tasks, sizes, strict=True), key=lambda ts: -ts[1])
    for task, size in order:
        if out[-1] and acc + size > target:
            out.append([])
            acc = 0
        out[-1].append(task)
        acc += size
    return [b for b in out if b]


def compile_parallel(module: Path, fuel: bool, tier: str, tasks: Sequence[Task],
                     sizes: Sequence[int], jobs: int, advance: Callable[[int], None]) -> None:
    """Compile ``tasks`` of the module file ``module`` in ``jobs`` worker processes;
    ``advance(n)`` after each batch."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["osbuild.jit.units", "osbuild.jit.module", "llvmlite.binding"])
    with ctx.Pool(jobs, initializer=_init, initargs=(module, fuel, tier)) as pool:
        for n in pool.imap_unordered(_compile, batches(tasks, sizes, jobs)):
            advance(n)


def compile_serial(compiler: UnitCompiler, tasks: Sequence[Task],
                   advance: Callable[[int], None]) -> None:
    """The same in this process (one job, or too little work to start workers for)."""
    for task in tasks:
        compile_task(compiler, task)
        advance(1)
