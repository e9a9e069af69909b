"""Malformed and mutated modules into `osbuild image` and `osbuild run`: the robustness fuzzer.

Inputs are made from seed modules (the bundled examples and, with --quickjs, the real-world
QuickJS build) in five ways: truncation at a length, random byte edits, random bytes, a random
custom section (a `name` section half the time) inserted somewhere, and `wasm-tools mutate`.
Each input must end in one of two ways:

- rejected: exit status 1 and exactly one stderr line `osbuild: error: ...` that is the real
  reason (no `internal error`, no traceback, no validator log line), and no image written
  (one that wasmtime validates is counted apart as refused-valid, with its reasons listed:
  a feature osbuild does not implement yet, such as SIMD, or one of its limits);
- built: the image runs as wasmtime runs the module (stdout and exit status; a WASI seed with
  its arguments and stdin), or for a seed wasmtime cannot run (the examples that import the
  kernel's env functions) ends with status 0, 1 or 134 and no internal error.

Anything else (an internal error, a traceback, exit 70, a partial image, a build or run past
its time limit) is a finding: written to --findings with what happened, and the exit status
is 1. `image` runs in this process (osbuild.host.cli.main, so thousands of inputs cost no
interpreter start-up each); `run` is a real `osbuild run` process.

    python tests/fuzz_inputs.py                   # open-ended (Ctrl-C prints the figures)
    python tests/fuzz_inputs.py --profile bounded # the fixed, seeded profile of `make test`
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wasmenc import leb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OSBUILD = str(Path(sys.executable).parent / "osbuild")
QUICKJS = ROOT.parent / "shared" / "realworld" / "quickjs.wasm"
BUILD_LIMIT = 900.0  # seconds for one `image` (a QuickJS rebuild on a loaded machine)
RUN_LIMIT = 60.0  # seconds for one `run` process; the program itself gets RUN_TIMEOUT
RUN_TIMEOUT = 10.0
ORACLE_FUEL = 2_000_000_000  # wasmtime instructions before a program counts as spinning


@dataclass(frozen=True)
class Seed:
    """A module to derive inputs from, and how to run it."""

    name: str
    wasm: bytes
    args: tuple[str, ...] = ()
    stdin: bytes = b""
    wasi: bool = True  # wasmtime can run it (imports only WASI)


def wat(path: Path) -> bytes:
    from osbuild.jit.wasmtools import wat_to_wasm

    return wat_to_wasm(path.read_bytes())


def seeds(quickjs: bool) -> list[Seed]:
    wasi = ROOT / "examples" / "wasi"
    text = b"The quick brown fox\njumps over\n\nthe lazy dog.\n"
    out = [
        Seed("hello", wat(ROOT / "examples" / "hello.wat"), wasi=False),
        Seed("fib", wat(ROOT / "examples" / "fib.wat"), wasi=False),
        Seed("memory", wat(ROOT / "examples" / "memory.wat"), wasi=False),
        Seed("wc", (wasi / "wc.wasm").read_bytes(), stdin=text),
        Seed("cat", (wasi / "cat.wasm").read_bytes(), stdin=text),
        Seed("upper", (wasi / "upper.wasm").read_bytes(), stdin=text),
        Seed("args", (wasi / "args.wasm").read_bytes(), args=("one", "two words")),
    ]
    if quickjs:
        out.append(Seed("quickjs", QUICKJS.read_bytes(),
                        args=("-e", "console.log([1,2,3].map(x=>x*x).join(','))")))
    return out


# ---- making inputs -------------------------------------------------------------------------

def section_starts(wasm: bytes) -> list[int]:
    """Offsets where a section begins (and the end): where a custom section may be inserted."""
    from osbuild.jit.decode import Reader

    r, starts = Reader(wasm, 8), [8]
    try:
        while not r.eof():
            r.byte()
            size = r.u32()  # (not `r.pos += r.u32()`: that adds to the position before it)
            r.pos += size
            starts.append(min(r.pos, len(wasm)))
    except Exception:  # noqa: BLE001 - a seed is valid; a broken one just gives fewer places
        pass
    return starts


def random_name_payload(rng: random.Random) -> bytes:
    """The contents of a `name` section: plausible subsections with random corruption."""
    out = bytearray()
    for _ in range(rng.randint(0, 4)):
        sub = rng.choice([0, 1, 2, rng.randrange(256)])
        body = bytearray()
        if sub == 0:
            name = rng.randbytes(rng.randint(0, 12))
            body += leb(len(name)) + name
        else:
            n = rng.randint(0, 6)
            body += leb(n)
            for _ in range(n):
                name = rng.choice([b"f", b"\x1b[31mred\n", rng.randbytes(rng.randint(0, 8))])
                body += leb(rng.randrange(1 << rng.choice([2, 8, 32]))) + leb(len(name)) + name
        if rng.random() < 0.3 and body:
            del body[rng.randrange(len(body)):]
        size = len(body) + rng.choice([0, 0, 0, 1, -1, 1000])
        out += bytes([sub]) + leb(max(size, 0)) + body
    return bytes(out)


def custom_section(rng: random.Random, wasm: bytes) -> bytes:
    if rng.random() < 0.5:
        name, payload = b"name", random_name_payload(rng)
    else:
        name = rng.choice([b"", b"producers", b"target_features", rng.randbytes(5),
                           "\u00e9t\u00e9".encode()])
        payload = rng.randbytes(rng.randint(0, 64))
    body = leb(len(name)) + name + payload
    section = b"\x00" + leb(len(body)) + body
    places = section_starts(wasm)
    at = rng.choice(places) if rng.random() < 0.9 else rng.randrange(len(wasm) + 1)
    return wasm[:at] + section + wasm[at:]


def byte_edits(rng: random.Random, wasm: bytes) -> bytes:
    data = bytearray(wasm)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(8, len(data)) if len(data) > 8 else len(data)
        op = rng.randrange(4)
        if op == 0 and at < len(data):
            data[at] ^= 1 << rng.randrange(8)
        elif op == 1 and at < len(data):
            data[at] = rng.choice([0, 0x7F, 0x80, 0xFF, rng.randrange(256)])
        elif op == 2:
            data[at:at] = rng.randbytes(rng.randint(1, 4))
        elif at < len(data):
            del data[at:at + rng.randint(1, 4)]
    return bytes(data)


def random_bytes(rng: random.Random, wasm: bytes) -> bytes:
    head = b"\0asm\x01\0\0\0" if rng.random() < 0.7 else b""
    return head + rng.randbytes(rng.randint(0, 256))


def mutate(rng: random.Random, wasm: bytes) -> bytes | None:
    """`wasm-tools mutate` with a random seed; None when it finds no mutation."""
    from osbuild.jit.wasmtools import executable

    proc = subprocess.run([str(executable()), "mutate", "--seed", str(rng.randrange(1 << 32)),
                           "--preserve-semantics" if rng.random() < 0.5 else "--fuel=1000"],
                          input=wasm, capture_output=True, timeout=60, check=False,
                          env={**os.environ, "RUST_LOG": "off"})
    return proc.stdout if proc.returncode == 0 and proc.stdout else None


# Kinds whose valid outputs change what every function's object depends on: for QuickJS each
# such input is a full rebuild (minutes), so QuickJS gets only truncations, random bytes and
# custom sections (those leave the per-function object cache valid).
EXPENSIVE = {"bytes", "mutate"}

KINDS = {"truncate": None, "bytes": byte_edits, "random": random_bytes,
         "custom": custom_section, "mutate": mutate}


def inputs(rng: random.Random, pool: list[Seed], weights: dict[str, int],
           every_length: Seed | None) -> Iterator[tuple[str, Seed, bytes]]:
    """(kind, seed, bytes), forever; first every truncation of ``every_length``."""
    if every_length is not None:
        for k in range(len(every_length.wasm)):
            yield "truncate", every_length, every_length.wasm[:k]
    kinds = list(weights)
    while True:
        kind = rng.choices(kinds, [weights[k] for k in kinds])[0]
        seed = rng.choice(pool)
        if seed.name == "quickjs" and kind in EXPENSIVE:
            continue
        if kind == "truncate":
            yield kind, seed, seed.wasm[:rng.randrange(len(seed.wasm))]
            continue
        data = KINDS[kind](rng, seed.wasm)  # type: ignore[misc]
        if data is not None:
            yield kind, seed, data


# ---- checking one input --------------------------------------------------------------------

class Hang(BaseException):
    """An `image` past BUILD_LIMIT (a BaseException: the CLI's handlers must not catch it)."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang


@dataclass
class Outcome:
    verdict: str  # "rejected", "ran", or a finding: "internal", "noise", "hang", ...
    detail: str = ""


def build(path: Path, out: Path) -> tuple[int, str, str]:
    """`osbuild image PATH -o OUT` in this process: (status, stdout, stderr)."""
    from osbuild.host.cli import main

    so, se = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, BUILD_LIMIT)
    try:
        with contextlib.redirect_stdout(so), contextlib.redirect_stderr(se):
            status = main(["image", str(path), "-o", str(out)], owner=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return status, so.getvalue(), se.getvalue()


def under_wasmtime(wasm: Path, argv0: str, seed: Seed, tmp: Path) -> tuple[bytes, int] | None:
    """stdout and exit status under the wasmtime package (a trap is 134, as ours); None when
    it does not finish in ORACLE_FUEL instructions; "unlinkable" as status -1."""
    import wasmtime

    cfg = wasmtime.Config()
    cfg.consume_fuel = True
    engine = wasmtime.Engine(cfg)
    try:
        module = wasmtime.Module.from_file(engine, str(wasm))
    except wasmtime.WasmtimeError:
        return b"", -1
    store = wasmtime.Store(engine)
    store.set_fuel(ORACLE_FUEL)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [argv0, *seed.args]
    (tmp / "in").write_bytes(seed.stdin)
    wasi.stdin_file, wasi.stdout_file, wasi.stderr_file = (str(tmp / n)
                                                           for n in ("in", "out", "err"))
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    try:
        instance = linker.instantiate(store, module)
        start = instance.exports(store).get("_start")
    except (wasmtime.WasmtimeError, wasmtime.Trap):
        return b"", -1
    if not isinstance(start, wasmtime.Func):  # instantiated, nothing to run (as `wasmtime run`)
        return (tmp / "out").read_bytes(), 0
    status = 0
    try:
        start(store)
    except wasmtime.ExitTrap as e:
        status = e.code
    except wasmtime.Trap as e:
        if e.trap_code == wasmtime.TrapCode.OUT_OF_FUEL:
            return None
        status = 134
    except wasmtime.WasmtimeError:  # a host error, not a trap: `wasmtime run` exits 1
        status = 1
    return (tmp / "out").read_bytes(), status


def wasmtime_validates(data: bytes) -> bool:
    import wasmtime

    try:
        wasmtime.Module.validate(wasmtime.Engine(), data)
    except wasmtime.WasmtimeError:
        return False
    return True


def check(kind: str, seed: Seed, data: bytes, tmp: Path) -> Outcome:
    for f in tmp.iterdir():
        f.unlink()
    src, out = tmp / "input.wasm", tmp / "input.elf"
    src.write_bytes(data)
    t0 = time.monotonic()
    try:
        status, stdout, stderr = build(src, out)
    except Hang:
        return Outcome("hang", f"image took over {BUILD_LIMIT:.0f} s")
    if status in (128 + signal.SIGINT, 128 + signal.SIGTERM, 128 + signal.SIGHUP):
        raise KeyboardInterrupt  # the CLI caught the signal meant to stop the campaign
    left = sorted(p.name for p in tmp.iterdir() if p.name not in ("input.wasm", "input.elf"))
    if left:
        return Outcome("leftover", f"image left {left}")
    if status != 0:
        lines = stderr.splitlines()
        if "internal error" in stderr or "Traceback" in stderr:
            return Outcome("internal", stderr.strip())
        if status != 1 or len(lines) != 1 or not lines[0].startswith("osbuild: error: "):
            return Outcome("noise", f"status {status}: {stderr!r}")
        if "WARN" in lines[0] or lines[0].rstrip().endswith(":"):
            return Outcome("noise", lines[0])
        if out.exists():
            return Outcome("partial", f"rejected ({lines[0]}) but {out.name} was written")
        if wasmtime_validates(data):  # a limit or an unsupported feature: counted apart
            return Outcome("refused-valid", lines[0])
        return Outcome("rejected", lines[0])
    build_time = time.monotonic() - t0
    return run(seed, out, tmp, build_time)


def run(seed: Seed, image: Path, tmp: Path, build_time: float) -> Outcome:
    try:
        proc = subprocess.run([OSBUILD, "run", "--timeout", str(RUN_TIMEOUT), str(image),
                               *seed.args], input=seed.stdin, capture_output=True,
                              timeout=RUN_LIMIT, check=False)
    except subprocess.TimeoutExpired:
        return Outcome("hang", f"run took over {RUN_LIMIT:.0f} s")
    err = proc.stderr.decode(errors="replace")
    if proc.returncode == 70 or "internal error" in err or "Traceback" in err:
        return Outcome("internal", f"run status {proc.returncode}: {err.strip()[-2000:]}")
    if proc.returncode in (128 + signal.SIGINT, 128 + signal.SIGTERM, 128 + signal.SIGHUP):
        raise KeyboardInterrupt
    if not seed.wasi:
        if proc.returncode not in (0, 1, 134):
            return Outcome("status", f"run status {proc.returncode}: {err.strip()[-500:]}")
        return Outcome("ran", f"status {proc.returncode} (built in {build_time:.1f} s)")
    want = under_wasmtime(tmp / "input.wasm", image.name, seed, tmp)
    if want is None:  # spins under wasmtime: ours must have stopped it cleanly
        return Outcome("ran", "spins (wasmtime out of fuel)")
    if want[1] == -1:  # wasmtime cannot instantiate or start it: ours must refuse too
        if proc.returncode == 0:
            return Outcome("diverged", "wasmtime refuses to instantiate it, osbuild ran it")
        return Outcome("ran", "refused by both")
    if (proc.stdout, proc.returncode) != want:
        return Outcome("diverged", f"osbuild {proc.returncode} {proc.stdout[:200]!r} vs "
                       f"wasmtime {want[1]} {want[0][:200]!r}; stderr {err[-300:]!r}")
    return Outcome("ran", f"status {proc.returncode} as wasmtime")


# ---- the campaign --------------------------------------------------------------------------

FINDINGS = {"internal", "noise", "hang", "partial", "leftover", "status", "diverged"}


@dataclass
class Tally:
    by_kind: Counter[str] = field(default_factory=Counter)
    by_verdict: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    findings: int = 0
    slowest_build: float = 0.0

    def line(self, n: int, elapsed: float) -> str:
        verdicts = ", ".join(f"{k} {v}" for k, v in sorted(self.by_verdict.items()))
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items()))
        return (f"{n} inputs in {elapsed:.0f} s ({n / max(elapsed, 1e-9):.1f}/s): {verdicts} "
                f"| {kinds}")


def campaign(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    pool = [s for s in seeds(args.quickjs) if not args.seeds or s.name in args.seeds]
    weights = {"truncate": 30, "bytes": 40, "random": 10, "custom": 4, "mutate": 2}
    every = pool[0] if args.every_length else None
    findings = Path(args.findings)
    tally, t0, n = Tally(), time.monotonic(), 0
    with tempfile.TemporaryDirectory(prefix="osbuild-fuzzin-") as d:
        tmp = Path(d)
        try:
            for kind, seed, data in inputs(rng, pool, weights, every):
                if args.inputs and n >= args.inputs:
                    break
                if args.seconds and time.monotonic() - t0 > args.seconds:
                    break
                outcome = check(kind, seed, data, tmp)
                n += 1
                tally.by_kind[kind] += 1
                tally.by_verdict[outcome.verdict] += 1
                if outcome.verdict == "refused-valid":
                    reason = outcome.detail.partition(": invalid module: ")[2] or outcome.detail
                    tally.refused[reason[:160]] += 1
                if outcome.verdict in FINDINGS:
                    tally.findings += 1
                    findings.mkdir(parents=True, exist_ok=True)
                    stem = findings / f"{outcome.verdict}-{kind}-{seed.name}-{n}"
                    stem.with_suffix(".wasm").write_bytes(data)
                    stem.with_suffix(".txt").write_text(outcome.detail + "\n")
                    print(f"FINDING {outcome.verdict} ({kind} of {seed.name}): "
                          f"{outcome.detail[:300]} -> {stem}.wasm", flush=True)
                if args.verbose:
                    print(f"{kind} {seed.name}: {outcome.verdict}: {outcome.detail}", flush=True)
                if n % args.report == 0:
                    print(tally.line(n, time.monotonic() - t0), flush=True)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
    print(tally.line(n, time.monotonic() - t0), flush=True)
    for reason, count in tally.refused.most_common(10):
        print(f"refused-valid {count}: {reason}", flush=True)
    print(f"findings: {tally.findings}", flush=True)
    return 1 if tally.findings else 0


PROFILES = {
    # `make test`: seeded and small (well under a minute on a cold cache): every truncation
    # of hello.wasm, then inputs made from the small seeds.
    "bounded": {"inputs": 260, "seed": 20, "every_length": True, "quickjs": False,
                "seeds": ("hello", "fib", "memory", "cat")},
    # `make fuzz`: open-ended, every seed, QuickJS among them.
    "open": {"inputs": 0, "seed": None, "every_length": True, "quickjs": True, "seeds": ()},
}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--profile", choices=PROFILES, default="open")
    p.add_argument("--inputs", type=int, help="stop after N inputs (0: never)")
    p.add_argument("--seconds", type=float, default=0, help="stop after this long (0: never)")
    p.add_argument("--seed", type=int, help="random seed (default: the profile's, or random)")
    p.add_argument("--no-quickjs", dest="quickjs", action="store_false", default=None)
    p.add_argument("-v", "--verbose", action="store_true", help="print every outcome")
    p.add_argument("--report", type=int, default=200, help="print figures every N inputs")
    p.add_argument("--findings", default=str(HERE / "fuzz-findings"),
                   help="folder for the inputs that failed (default tests/fuzz-findings)")
    args = p.parse_args()
    profile = PROFILES[args.profile]
    for key, value in profile.items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    if args.seed is None:
        args.seed = int.from_bytes(os.urandom(4), "little")
    if args.quickjs and not QUICKJS.exists():
        args.quickjs = False
    print(f"profile {args.profile}, seed {args.seed}, quickjs {args.quickjs}", flush=True)
    return campaign(args)


if __name__ == "__main__":
    sys.exit(main())
