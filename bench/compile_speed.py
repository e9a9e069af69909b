"""Compile speed and memory: per module, tier and worker count, next to the wasmtime package.

For each module (examples/*.wat, examples/wasi/*.wasm, bench/programs/*.wasm when present, and
QuickJS from ../shared/realworld), each tier and each worker count, one compile from a fresh
object cache (OSBUILD_CACHE_DIR) in a child process, timed around `compile_module` only (the
module is parsed and validated before the clock starts). Peak RSS is the largest sum of the
resident sets of the child and all its descendants (the worker pool), sampled from /proc every
20 ms; "max proc" is the largest single process. The wasmtime figure is `wasmtime.Module(engine,
bytes)` in this process, with a fresh engine (no cache). "jobs" is requested/used: small modules
are compiled in the compiling process itself (0 workers), see jit/compiler.py SERIAL_BYTES.

"CPU s" is the CPU time of the compiling process and all its descendants (user + system,
including reaped workers), which a busy machine inflates less than the wall time.

With --first-run, QuickJS is also run end to end (`osbuild run quickjs.wasm -e ...` until its
output), from a cache that holds only the kernel (cold) and then again (warm), per tier.

With --big N, a generated module is measured too: QuickJS with its function bodies N more
times (each copy a new function of the same type, 0.7 MB more per copy; N = 38 gives
34 MB), for the memory bound on modules of tens of megabytes.

Run: .venv/bin/python bench/compile_speed.py [--tiers fast,opt] [--jobs 1,2] [-k NAME]
     [--first-run] [--big N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
QUICKJS = ROOT.parent / "shared" / "realworld" / "quickjs.wasm"
PAGE = os.sysconf("SC_PAGE_SIZE")


def modules() -> list[Path]:
    found = sorted((ROOT / "examples").glob("*.wat")) + sorted(
        (ROOT / "examples" / "wasi").glob("*.wasm")) + sorted(
        (ROOT / "bench" / "programs").glob("*.wasm"))
    return found + ([QUICKJS] if QUICKJS.exists() else [])


# --- the child: one compile ------------------------------------------------------------------

def tree_cpu(root: int) -> float:
    """CPU seconds of ``root`` and its live descendants, each with its reaped children."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / tick


def child(path: str, tier: str, jobs: int) -> None:
    from osbuild.jit.compiler import CompileStats, compile_module
    from osbuild.jit.wasmtools import load_wasm

    data = load_wasm(Path(path))
    stats = CompileStats()
    start = time.perf_counter()
    compile_module(data, Path(path).stem, tier=tier, jobs=jobs, stats=stats)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "bytes": len(data), "units": stats.units,
                      "compiled": stats.compiled, "jobs": stats.jobs,
                      "cpu": tree_cpu(os.getpid())}))


# --- the parent: process tree RSS ------------------------------------------------------------

def descendants(root: int) -> set[int]:
    """``root`` and every process below it."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            parent[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        for pid, pp in parent.items():
            if pp == p and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return tree


def tree_rss(root: int) -> tuple[int, int]:
    """(sum, max) of the resident set sizes of ``root`` and all its descendants, in bytes."""
    sizes = []
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/statm") as f:
                sizes.append(int(f.read().split()[1]) * PAGE)
        except OSError:
            pass
    return sum(sizes), max(sizes, default=0)


def measure(path: Path, tier: str, jobs: int, base_cache: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="osbuild-bench-") as tmp:
        env = {**os.environ, "OSBUILD_CACHE_DIR": tmp}
        for sub in ("tools",):
            if (base_cache / sub).exists():
                shutil.copytree(base_cache / sub, Path(tmp) / sub)
        proc = subprocess.Popen([PYTHON, __file__, "--child", str(path), tier, str(jobs)],
                                env=env, stdout=subprocess.PIPE, text=True)
        peak_sum = peak_max = 0
        while proc.poll() is None:
            s, m = tree_rss(proc.pid)
            peak_sum, peak_max = max(peak_sum, s), max(peak_max, m)
            time.sleep(0.02)
        out = proc.stdout.read() if proc.stdout else ""
        if proc.returncode != 0:
            raise SystemExit(f"compiling {path} failed")
        result = json.loads(out.strip().splitlines()[-1])
        result.update(rss=peak_sum, rss_max=peak_max)
        return result


def replicated(data: bytes, copies: int) -> bytes:
    """``data`` with every function body appended ``copies`` more times (function and code
    sections extended; custom sections dropped, since names would no longer match)."""
    from osbuild.jit.decode import decode

    sys.path.insert(0, str(ROOT / "tests"))
    from wasmenc import leb  # the one LEB128 encoder

    wasm = decode(data, bodies=False)

    def vec_items(sid: int) -> tuple[int, bytes]:
        start, end = wasm.sections[sid]
        pos, count = _read_leb(data, start)
        return count, data[pos:end]

    nfunc, func_items = vec_items(3)
    ncode, code_items = vec_items(10)
    out = bytearray(data[:8])
    pos = 8
    while pos < len(data):
        sid = data[pos]
        body_start, size = _read_leb(data, pos + 1)
        pos_next = body_start + size
        if sid == 3:
            body = leb(nfunc * (copies + 1)) + func_items * (copies + 1)
        elif sid == 10:
            body = leb(ncode * (copies + 1)) + code_items * (copies + 1)
        elif sid == 0:
            pos = pos_next
            continue
        else:
            body = data[body_start:pos_next]
        out += bytes([sid]) + leb(len(body)) + body
        pos = pos_next
    return bytes(out)


def _read_leb(data: bytes, pos: int) -> tuple[int, int]:
    """(position after, value) of the unsigned LEB128 at ``pos``."""
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return pos, value


def wasmtime_seconds(data: bytes) -> float:
    import wasmtime

    start = time.perf_counter()
    wasmtime.Module(wasmtime.Engine(), data)
    return time.perf_counter() - start


def first_run(tier: str, base_cache: Path) -> tuple[float, float]:
    """Seconds of `osbuild run quickjs.wasm -e ...` from a cache holding only the kernel,
    then again with the cache it left."""
    script = 'console.log([1,2,3].map(x=>x*x).join(","))'
    args = [PYTHON, "-m", "osbuild.host.cli", "run", *(["--opt"] if tier == "opt" else []),
            str(QUICKJS), "-e", script]
    with tempfile.TemporaryDirectory(prefix="osbuild-bench-") as tmp:
        for sub in ("tools", "kernel"):
            if (base_cache / sub).exists():
                shutil.copytree(base_cache / sub, Path(tmp) / sub)
        env = {**os.environ, "OSBUILD_CACHE_DIR": tmp}
        times = []
        for _ in range(2):
            start = time.perf_counter()
            out = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - start)
            if out.stdout.strip() != "1,4,9":
                raise SystemExit(f"quickjs printed {out.stdout!r} {out.stderr!r}")
        return times[0], times[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--tiers", default="fast,opt")
    ap.add_argument("--jobs", default=f"1,{os.cpu_count() or 1}")
    ap.add_argument("-k", default="", help="only modules whose file name contains this")
    ap.add_argument("--first-run", action="store_true", help="QuickJS end to end, per tier")
    ap.add_argument("--big", type=int, default=0, metavar="N",
                    help="also QuickJS with its bodies N more times (N=38: 34 MB)")
    ns = ap.parse_args()
    if ns.child:
        child(ns.child[0], ns.child[1], int(ns.child[2]))
        return
    sys.path.insert(0, str(ROOT))
    from osbuild.jit.wasmtools import load_wasm

    tiers = ns.tiers.split(",")
    jobs_list = sorted({int(j) for j in ns.jobs.split(",")})
    with tempfile.TemporaryDirectory(prefix="osbuild-bench-base-") as base:
        base_cache = Path(base)
        # Build the kernel (and remember tool versions) once, for the first-run figures.
        env = {**os.environ, "OSBUILD_CACHE_DIR": base}
        subprocess.run([PYTHON, "-m", "osbuild.host.cli", "image", "-o",
                        str(base_cache / "fib.elf"), str(ROOT / "examples" / "fib.wat")],
                       env=env, check=True, capture_output=True)
        print(f"{'module':<14} {'KiB':>6} {'tier':<4} {'jobs':>4} {'units':>6} {'s':>7} "
              f"{'KiB/s':>7} {'CPU s':>7} {'RSS MiB':>8} {'max proc':>8} {'wasmtime s':>10}")
        paths = modules()
        if ns.big and QUICKJS.exists():
            big = base_cache / f"quickjs-x{ns.big + 1}.wasm"
            big.write_bytes(replicated(QUICKJS.read_bytes(), ns.big))
            paths.append(big)
        for path in paths:
            if ns.k not in path.name:
                continue
            data = load_wasm(path)
            wt = wasmtime_seconds(data)
            for tier in tiers:
                for jobs in jobs_list:
                    r = measure(path, tier, jobs, base_cache)
                    kib = r["bytes"] / 1024
                    used = f"{jobs}/{r['jobs']}"
                    print(f"{path.stem:<14} {kib:>6.0f} {tier:<4} {used:>4} "
                          f"{r['units']:>6} {r['seconds']:>7.2f} {kib / r['seconds']:>7.1f} "
                          f"{r['cpu']:>7.1f} {r['rss'] / 2**20:>8.0f} "
                          f"{r['rss_max'] / 2**20:>8.0f} {wt:>10.2f}",
                          flush=True)
        if ns.first_run and QUICKJS.exists():
            for tier in tiers:
                cold, warm = first_run(tier, base_cache)
                print(f"quickjs first run, tier {tier}: cold {cold:.2f} s, warm {warm:.2f} s",
                      flush=True)


if __name__ == "__main__":
    main()
