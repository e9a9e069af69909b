"""osbuild against native C: retired RISC-V instructions of the same C programs.

Each program of bench/programs/ is built twice from one source:
  wasm    clang --target=wasm32-wasi -O2, run by `osbuild run --stats=exact` (the guest kernel
          counts the instructions from entering `_start` to its end, host calls included)
  native  clang --target=riscv64-unknown-elf -O2 -march=<march> -ffp-contract=off (wasm has no
          fused multiply-add), picolibc, bench/native/stub.c and native.ld, booted bare-metal
          in M-mode by QEMU (-bios none), counting the instructions of `main` with minstret
Both run under QEMU's -icount shift=0 (one instruction per tick: counts are exact and the same
on every run). Outputs are checked against each other and against the wasmtime package.

The table gives osbuild ÷ native for native rv64gc and for native with the extensions the
compiler uses (rv64gc_zba_zbb), the geometric means, and for context wasmtime's wall time on
this x86-64 host ÷ the same C built natively for the host (min of 3 runs each). Extra programs
(QuickJS running ../shared/realworld/bench.js) have no C source here: their osbuild count and
wasmtime's wall ratio are shown without a native figure.

A PNG plot of the ratios and results.json (for before/after comparisons) go to build/bench/.

Run: .venv/bin/python bench/native_ratio.py [-k NAME] [--no-quickjs] [--label TEXT]
(or `make bench`)
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "bench" / "programs"
NATIVE = ROOT / "bench" / "native"
OUT = ROOT / "build" / "bench"
OSBUILD = [sys.executable, "-m", "osbuild.host.cli"]
PICOLIBC = Path("/usr/lib/picolibc/riscv64-unknown-elf")
PICOLIBC_LIB = PICOLIBC / "lib" / "release" / "rv64imafdc" / "lp64d"
LIBGCC = Path("/usr/lib/gcc/riscv64-unknown-elf/12.2.0/libgcc.a")
MARCHES = ["rv64gc", "rv64gc_zba_zbb"]
QUICKJS = ROOT.parent / "shared" / "realworld"


@dataclass
class Result:
    name: str
    osbuild: int
    native: dict[str, int] = field(default_factory=dict)
    wasmtime_wall: float = 0.0
    host_wall: float = 0.0
    output: str = ""


def sh(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, **kw)  # type: ignore


def build_wasm(src: Path) -> Path:
    out = OUT / f"{src.stem}.wasm"
    sh(["clang", "--target=wasm32-wasi", "-O2", str(src), "-o", str(out)])
    return out


def build_native(src: Path, march: str, extra: list[str] = ()) -> Path:
    cflags = [*extra, "--target=riscv64-unknown-elf", f"-march={march}", "-mabi=lp64d",
              "-mcmodel=medany", "-O2", "-fno-math-errno", "-ffp-contract=off",
              "-nostdlibinc",
              "-isystem", str(PICOLIBC / "include"), "-ffunction-sections"]
    stub, obj = OUT / f"stub-{march}.o", OUT / f"{src.stem}-{march}.o"
    out = OUT / f"{src.stem}-{march}.elf"
    sh(["clang", *cflags, "-c", str(NATIVE / "stub.c"), "-o", str(stub)])
    sh(["clang", *cflags, "-Dmain=bench_main", "-c", str(src), "-o", str(obj)])
    sh(["ld.lld", "-o", str(out), "-T", str(NATIVE / "native.ld"), "--gc-sections",
        str(PICOLIBC_LIB / "crt0.o"), str(stub), str(obj), str(PICOLIBC_LIB / "libc.a"),
        str(PICOLIBC_LIB / "libm.a"), str(LIBGCC)])
    return out


def run_native(elf: Path, cpu: str = "rv64") -> tuple[str, int]:
    """(program output, instructions of its main) from a bare-metal boot on QEMU's `cpu`."""
    out = sh(["qemu-system-riscv64", "-machine", "virt", "-cpu", cpu, "-bios", "none", "-m",
              "128M", "-kernel", str(elf), "-nographic", "-icount", "shift=0"],
             timeout=600).stdout
    out = out.replace("\r\n", "\n")
    m = re.search(r"\n@instret (\d+)\n", out)
    if not m:
        raise SystemExit(f"{elf.name}: no instruction count in {out!r}")
    return out[:m.start()], int(m.group(1))


def run_osbuild(wasm: Path, args: list[str] = (), dirs: list[str] = ()) -> tuple[str, int]:
    """(stdout, instructions of _start) from `osbuild run --opt --stats=exact` (optimized
    code: the CLI's default tier compiles fast, not well)."""
    cmd = [*OSBUILD, "run", "--opt", "--stats=exact", *(f"--dir={d}" for d in dirs), str(wasm),
           *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    m = re.search(r"stats: instructions: ([\d,]+)", p.stderr)
    if p.returncode != 0 or not m:
        raise SystemExit(f"{wasm.name}: osbuild run failed ({p.returncode}): {p.stderr[-500:]}")
    return p.stdout, int(m.group(1).replace(",", ""))


def wasmtime_wall(wasm: Path, args: list[str] = (), dirs: list[tuple[str, str]] = (),
                  repeat: int = 3) -> tuple[str, float]:
    """(stdout, min wall seconds of _start) in the wasmtime package (compiled once)."""
    import tempfile

    import wasmtime

    engine = wasmtime.Engine()
    module = wasmtime.Module.from_file(engine, str(wasm))
    best, text = math.inf, ""
    for _ in range(repeat):
        store, linker = wasmtime.Store(engine), wasmtime.Linker(engine)
        linker.define_wasi()
        with tempfile.TemporaryDirectory() as tmp:
            cfg = wasmtime.WasiConfig()
            cfg.argv = [wasm.name, *args]
            cfg.stdout_file = str(Path(tmp) / "out")
            for host, guest in dirs:
                cfg.preopen_dir(host, guest)
            store.set_wasi(cfg)
            start = linker.instantiate(store, module).exports(store)["_start"]
            t = time.perf_counter()
            try:
                start(store)
            except wasmtime.ExitTrap:
                pass
            best = min(best, time.perf_counter() - t)
            text = (Path(tmp) / "out").read_text()
    return text, best


def host_wall(src: Path, repeat: int = 3) -> float:
    """Min wall seconds of the same C built for this host with clang -O2 (process included)."""
    exe = OUT / f"{src.stem}-host"
    sh(["clang", "-O2", str(src), "-o", str(exe), "-lm"])
    best = math.inf
    for _ in range(repeat):
        t = time.perf_counter()
        sh([str(exe)])
        best = min(best, time.perf_counter() - t)
    return best


def measure_c(src: Path) -> Result:
    wasm = build_wasm(src)
    text, count = run_osbuild(wasm)
    reference, wall = wasmtime_wall(wasm)
    if text != reference:
        raise SystemExit(f"{src.stem}: osbuild printed {text!r}, wasmtime {reference!r}")
    r = Result(src.stem, count, wasmtime_wall=wall, host_wall=host_wall(src), output=text)
    for march in MARCHES:
        native_text, native_count = run_native(build_native(src, march))
        if native_text != text:
            raise SystemExit(f"{src.stem} ({march}): native printed {native_text!r}, "
                             f"osbuild {text!r}")
        r.native[march] = native_count
    return r


def measure_quickjs() -> Result | None:
    wasm = QUICKJS / "quickjs.wasm"
    if not wasm.exists():
        return None
    args = ["/data/bench.js"]
    text, count = run_osbuild(wasm, args, [f"{QUICKJS}::/data"])
    reference, wall = wasmtime_wall(wasm, args, [(str(QUICKJS), "/data")], repeat=1)
    if text != reference:
        raise SystemExit(f"quickjs: osbuild printed {text!r}, wasmtime {reference!r}")
    return Result("quickjs", count, wasmtime_wall=wall, output=text)


def geomean(xs: list[float]) -> float:
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else math.nan


def table(results: list[Result]) -> str:
    head = (f"{'program':<12} {'osbuild insns':>14} {'native rv64gc':>14} {'ratio':>6} "
            f"{'native +zba_zbb':>16} {'ratio':>6} {'wasmtime/x86 wall':>18}")
    lines = [head, "-" * len(head)]
    ratios: dict[str, list[float]] = {m: [] for m in MARCHES}
    walls: list[float] = []
    for r in results:
        cells = [f"{r.name:<12} {r.osbuild:>14,}"]
        for march, width in zip(MARCHES, (14, 16), strict=True):
            n = r.native.get(march)
            if n:
                ratios[march].append(r.osbuild / n)
                cells.append(f"{n:>{width},} {r.osbuild / n:>6.2f}")
            else:
                cells.append(f"{'n/a':>{width}} {'':>6}")
        if r.host_wall:
            walls.append(r.wasmtime_wall / r.host_wall)
            cells.append(f"{r.wasmtime_wall / r.host_wall:>18.2f}")
        else:
            cells.append(f"{r.wasmtime_wall:>16.2f} s")
        lines.append(" ".join(cells))
    lines.append("-" * len(head))
    lines.append(f"{'geomean':<12} {'':>14} {'':>14} {geomean(ratios[MARCHES[0]]):>6.2f} "
                 f"{'':>16} {geomean(ratios[MARCHES[1]]):>6.2f} {geomean(walls):>18.2f}")
    return "\n".join(lines)


def plot(results: list[Result], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in results if r.native]
    x = range(len(rows))
    fig, ax = plt.subplots(figsize=(9, 4))
    for k, march in enumerate(MARCHES):
        ax.bar([i + (k - 0.5) * 0.4 for i in x], [r.osbuild / r.native[march] for r in rows],
               width=0.4, label=f"osbuild ÷ native {march}")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(list(x), [r.name for r in rows])
    ax.set_ylabel("retired instructions, ratio")
    ax.set_title("osbuild vs native C on RISC-V (QEMU -icount shift=0)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", metavar="NAME", help="only programs whose name contains NAME")
    ap.add_argument("--no-quickjs", action="store_true", help="skip QuickJS (no native side)")
    ap.add_argument("--label", default="", help="stored with the results (e.g. 'before zba')")
    ns = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for src in sorted(PROGRAMS.glob("*.c")):
        if ns.k and ns.k not in src.stem:
            continue
        results.append(measure_c(src))
        print(f"  measured {src.stem}", file=sys.stderr, flush=True)
    if not ns.no_quickjs and (not ns.k or ns.k in "quickjs"):
        qjs = measure_quickjs()
        if qjs:
            results.append(qjs)
    print(table(results))
    plot(results, OUT / "ratios.png")
    (OUT / "results.json").write_text(json.dumps(
        {"label": ns.label, "results": [asdict(r) for r in results]}, indent=1))
    print(f"plot: {OUT / 'ratios.png'}; figures: {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
