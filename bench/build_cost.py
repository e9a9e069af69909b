"""Build cost against module size: seconds of `osbuild image` and milliseconds per item for
modules of N functions, globals, imports or data segments (N from --sizes), each in an image
cache that already holds the kernel, so that the figure is the module's own cost. Linear build
cost means a flat ms-per-item column; a column that grows with N is quadratic behaviour.

    python bench/build_cost.py [--sizes 1000,5000,20000,100000] [--kinds functions,globals]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OSBUILD = str(Path(sys.executable).parent / "osbuild")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from wasmenc import leb, sleb  # noqa: E402 - tests/wasmenc.py, the one LEB128 encoder


def section(sid: int, items: list[bytes]) -> bytes:
    body = leb(len(items)) + b"".join(items)
    return bytes([sid]) + leb(len(body)) + body


def name(s: bytes) -> bytes:
    return leb(len(s)) + s


def module(kind: str, n: int) -> bytes:
    """A valid module whose size in ``kind`` is ``n``; a `_start` that does nothing."""
    types = [b"\x60\x00\x00", b"\x60\x01\x7f\x00"]  # () -> (), (i32) -> ()
    imports: list[bytes] = []
    funcs = [b"\x00"]
    bodies = [b"\x02\x00\x0b"]
    globals_: list[bytes] = []
    datas: list[bytes] = []
    mems: list[bytes] = []
    if kind == "functions":
        funcs += [b"\x00"] * (n - 1)
        for i in range(1, n):  # no locals; i32.const (i % 64); drop; end
            code = b"\x00\x41" + sleb(i % 64) + b"\x1a\x0b"
            bodies.append(leb(len(code)) + code)
    elif kind == "globals":
        globals_ = [b"\x7f\x00\x41" + sleb(i) + b"\x0b" for i in range(n)]
    elif kind == "imports":
        imports = [name(b"wasi_snapshot_preview1") + name(b"proc_exit") + b"\x00\x01"
                   for _ in range(n)]
    elif kind == "segments":
        mems = [b"\x00" + leb(n * 4 // 65536 + 1)]
        datas = [b"\x00\x41" + sleb(4 * i) + b"\x0b\x04abcd" for i in range(n)]
    else:
        raise SystemExit(f"unknown kind {kind}")
    start = len(imports)  # the index of `_start`
    out = b"\0asm\x01\0\0\0" + section(1, types)
    if imports:
        out += section(2, imports)
    out += section(3, funcs)
    if mems:
        out += section(5, mems)
    if globals_:
        out += section(6, globals_)
    out += section(7, [name(b"_start") + b"\x00" + leb(start)])
    out += section(10, bodies)
    if datas:
        out += section(11, datas)
    return out


def build(wasm: Path, out: Path, env: dict[str, str], timeout: float) -> float | None:
    t0 = time.monotonic()
    try:
        proc = subprocess.run([OSBUILD, "image", str(wasm), "-o", str(out)], env=env,
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        raise SystemExit(f"{wasm.name}: {proc.stderr.strip()}")
    return time.monotonic() - t0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,5000,20000,100000")
    p.add_argument("--kinds", default="functions,globals,imports,segments")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per build")
    args = p.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="osbuild-bench-") as d:
        tmp = Path(d)
        env = {**os.environ, "OSBUILD_CACHE_DIR": str(tmp / "cache")}
        (tmp / "warm.wasm").write_bytes(module("globals", 1))
        build(tmp / "warm.wasm", tmp / "warm.elf", env, args.timeout)  # the kernel, once
        print(f"{'kind':<10} {'N':>8} {'seconds':>9} {'ms/item':>9}", flush=True)
        for kind in args.kinds.split(","):
            for n in sizes:
                wasm = tmp / f"{kind}{n}.wasm"
                wasm.write_bytes(module(kind, n))
                secs = build(wasm, tmp / f"{kind}{n}.elf", env, args.timeout)
                if secs is None:
                    print(f"{kind:<10} {n:>8} {'>' + str(int(args.timeout)):>9} {'-':>9}",
                          flush=True)
                    break  # larger sizes take longer still
                print(f"{kind:<10} {n:>8} {secs:>9.1f} {secs * 1000 / n:>9.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
