"""`make fuzz`: an open-ended differential campaign against wasmtime.

Each batch mixes wasm-tools smith modules (random seeds) and modules from the hypothesis
generator (tests/gen.py), runs them in one QEMU boot and in wasmtime, and prints progress.
A divergence is minimized with `wasm-tools shrink` (the predicate re-runs this comparison on
the candidate) and written to tests/corpus/ as .wat, which the normal test run replays.

    python tests/fuzz.py [--smith N] [--generated N] [--batch 50] [--simd] [--wasm3]
                         [--exceptions] [--gc] [--tier opt|fast]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from difftest import Call, Case, check, plan_calls  # noqa: E402
from smith import smith  # noqa: E402

from osbuild.jit.target import TIERS  # noqa: E402
from osbuild.jit.wasmtools import executable  # noqa: E402

CORPUS = HERE / "corpus"


def generated(n: int) -> list[tuple[bytes, Case]]:
    from gen import case
    from test_properties import to_case

    warnings.filterwarnings("ignore")  # .example() outside a test is what we want here
    out = []
    for _ in range(n):
        wat, calls = case().example()
        c = to_case(wat, calls)
        out.append((c.wasm, c))
    return out


def smithed(n: int, simd: bool = False, wasm3: bool = False, exceptions: bool = False,
            gc: bool = False) -> list[tuple[bytes, Case]]:
    out = []
    while len(out) < n:
        wasm = smith(os.urandom(1024), simd=simd, wasm3=wasm3, exceptions=exceptions, gc=gc)
        if wasm is not None:
            out.append((wasm, plan_calls(wasm)))
    return out


def with_calls(wasm: bytes, calls: list[Call] | None) -> Case:
    """The case for a module with the original calls (those whose export still exists)."""
    case = plan_calls(wasm)
    if calls is not None:
        sigs = {c.export: c.sig for c in case.calls}
        case.calls = [Call(c.export, sigs[c.export], c.args) for c in calls
                      if sigs.get(c.export) == c.sig]
    return case


def still_diverges(path: Path) -> bool:
    """The shrink predicate: the candidate, called with the original arguments, still
    disagrees with wasmtime (in the campaign's tier, OSBUILD_FUZZ_TIER)."""
    calls = None
    if os.environ.get("OSBUILD_FUZZ_CALLS"):
        raw = json.loads(Path(os.environ["OSBUILD_FUZZ_CALLS"]).read_text())
        calls = [Call(c["export"], c["sig"], c["args"]) for c in raw]
    try:
        return bool(check([with_calls(path.read_bytes(), calls)],
                          os.environ.get("OSBUILD_FUZZ_TIER", "opt")))
    except Exception:  # noqa: BLE001 - an invalid candidate is not interesting
        return False


def minimize(wasm: bytes, calls: list[Call], tier: str = "opt") -> bytes:
    with tempfile.TemporaryDirectory(prefix="osbuild-shrink-") as tmp:
        src, out = Path(tmp) / "in.wasm", Path(tmp) / "out.wasm"
        src.write_bytes(wasm)
        spec = Path(tmp) / "calls.json"
        spec.write_text(json.dumps([c.__dict__ for c in calls]))
        predicate = Path(tmp) / "predicate.sh"
        predicate.write_text(f"#!/bin/sh\nOSBUILD_FUZZ_CALLS={spec} OSBUILD_FUZZ_TIER={tier} "
                             f"exec {sys.executable} "
                             f"{__file__} --predicate \"$1\"\n")
        predicate.chmod(0o755)
        r = subprocess.run([str(executable()), "shrink", str(predicate), str(src), "-o",
                            str(out), "--attempts", "200"], capture_output=True, check=False)
        return out.read_bytes() if r.returncode == 0 and out.exists() else wasm


def record(wasm: bytes, why: str, calls: list[Call]) -> Path:
    """Write the module as .wat, with the calls to replay as `;; call EXPORT ARGS` lines."""
    CORPUS.mkdir(exist_ok=True)
    text = subprocess.run([str(executable()), "print", "-"], input=wasm, capture_output=True,
                          check=True).stdout.decode()
    name = CORPUS / f"fuzz-{hashlib.sha256(wasm).hexdigest()[:12]}.wat"
    comment = "".join(f";; {line}\n" for line in why.splitlines())
    comment += "".join(f";; call {c.export.encode().hex() or '-'} "
                       f"{' '.join(f'{a:x}' for a in c.args)}\n" for c in calls)
    name.write_text(f";; Found by osbuild fuzz (minimized with wasm-tools shrink):\n{comment}"
                    f"{text}")
    return name


def check_batch(cases: list[Case], tier: str = "opt") -> list[tuple[int, str]]:
    """`check` of one batch; when the guest itself stops (a kernel panic is a divergence of
    its own), each module is run alone to find the ones that stop it, and those are saved."""
    try:
        return check(cases, tier)
    except RuntimeError as e:
        print(f"\nbatch stopped the guest ({e}); running its modules one by one", flush=True)
    out = []
    for i, case in enumerate(cases):
        try:
            out += [(i, why) for _, why in check([case], tier)]
        except RuntimeError as e:
            digest = hashlib.sha256(case.wasm).hexdigest()[:12]
            saved = Path(tempfile.gettempdir()) / f"osbuild-fuzz-{digest}.wasm"
            saved.write_bytes(case.wasm)
            print(f"\nmodule stops the guest: {e}; saved as {saved}", flush=True)
            out.append((i, f"guest stopped: {e}"))
    return out


def campaign(n_smith: int, n_generated: int, batch: int, simd: bool = False,
             wasm3: bool = False, exceptions: bool = False, gc: bool = False,
             tier: str = "opt") -> int:
    done = {"smith": 0, "generated": 0}
    found = 0
    start = time.monotonic()
    while done["smith"] < n_smith or done["generated"] < n_generated:
        half = batch // 2
        k_s = min(half, n_smith - done["smith"])
        k_g = min(batch - k_s, n_generated - done["generated"])
        items = smithed(k_s, simd, wasm3, exceptions, gc) + generated(k_g)
        for i, why in check_batch([c for _, c in items], tier):
            case = items[i][1]
            path = record(minimize(items[i][0], case.calls, tier), why, case.calls)
            found += 1
            print(f"\ndivergence: {why}\n  minimized to {path}", flush=True)
        done["smith"] += k_s
        done["generated"] += k_g
        total = done["smith"] + done["generated"]
        rate = total / (time.monotonic() - start)
        print(f"\r{done['smith']} smith + {done['generated']} generated modules, "
              f"{found} divergences, {rate:.1f} modules/s", end="", flush=True)
    print()
    return found


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--smith", type=int, default=10**9, help="smith modules to run")
    p.add_argument("--generated", type=int, default=10**9, help="generated modules to run")
    p.add_argument("--batch", type=int, default=50, help="modules per QEMU boot")
    p.add_argument("--simd", action="store_true", help="smith modules with SIMD")
    p.add_argument("--wasm3", action="store_true",
                   help="smith modules with memory64, multi-memory, tail calls, extended const")
    p.add_argument("--exceptions", action="store_true",
                   help="smith modules with exception handling (tags, throw, try_table)")
    p.add_argument("--gc", action="store_true", help="smith modules with GC types and instructions")
    p.add_argument("--tier", choices=TIERS, default="opt",
                   help="compiler tier of our side (default opt)")
    p.add_argument("--predicate", type=Path, help=argparse.SUPPRESS)
    ns = p.parse_args()
    if ns.predicate:
        return 0 if still_diverges(ns.predicate) else 1
    return 1 if campaign(ns.smith, ns.generated, ns.batch, ns.simd, ns.wasm3,
                         ns.exceptions, ns.gc, ns.tier) else 0


if __name__ == "__main__":
    sys.exit(main())
