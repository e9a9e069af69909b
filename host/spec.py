"""`osbuild spec`: the official spec test scripts, run inside the guest.

Per .wast file: convert it with `wasm-tools json-from-wast`, compile every module (cached),
link them all into one image, and boot it once with a command script holding every guest-side
command of the file; the guest answers each line with one frame. Invalid/malformed modules are
judged on the host against our own front end. Results print as a table per file plus a list of
failures with file:line and the reason, ending in `N passed, M failed`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from osbuild.errors import UserError
from osbuild.jit.wasmtools import executable
from osbuild.tmpdirs import private_dir

from .answers import Answer
from .pipeline import Imports, compile_wasm, link
from .specplan import GuestStep, Outcome, Planner, features_for, judge

KINDS = ["module", "register", "action", "assert_return", "assert_trap", "assert_exhaustion",
         "assert_exception", "assert_invalid", "assert_malformed", "assert_unlinkable",
         "assert_uninstantiable"]


def default_suite() -> Path:
    env = os.environ.get("OSBUILD_TESTSUITE")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "testsuite"


def find_wast(args: list[str], suite: Path) -> list[Path]:
    """Files or directories; a directory means its non-SIMD .wast files (SIMD is out of
    scope: the compiler targets WebAssembly 2.0 without v128)."""
    out: list[Path] = []
    for a in args:
        p = Path(a)
        if not p.exists() and (suite / a).exists():
            p = suite / a
        if p.is_dir():
            out.extend(sorted(f for f in p.glob("*.wast") if not f.name.startswith("simd_")))
        elif p.is_file():
            out.append(p)
        else:
            raise UserError(f"no such file or directory: {a}")
    return out


@dataclass
class FileResult:
    path: Path
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def counts(self) -> Counter[tuple[str, bool]]:
        return Counter((o.kind, o.passed) for o in self.outcomes)


def convert(wast: Path, workdir: Path) -> Path:
    out = workdir / (wast.stem + ".json")
    proc = subprocess.run([str(executable()), "json-from-wast", str(wast), "-o", str(out),
                           "--wasm-dir", str(workdir)], capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise UserError(f"{wast}: json-from-wast failed: {proc.stderr.strip().splitlines()[0]}")
    return out


def run_file(wast: Path, timeout: float, tier: str = "opt") -> FileResult:
    from .console import run_script

    result = FileResult(wast)
    with private_dir("spec") as tmp:
        t0 = time.monotonic()
        features = features_for(wast)
        plan = Planner(convert(wast, Path(tmp)), features=features).build()
        result.outcomes.extend(plan.outcomes)
        t1 = time.monotonic()
        compiled_all, bad = {}, {}
        for i, data in enumerate(plan.modules):
            try:
                compiled_all[i] = compile_wasm(data, f"{wast.stem}.{i}", tier=tier)
            except UserError as e:
                bad[i] = str(e)
            except Exception as e:  # noqa: BLE001 - a compiler bug fails this file's commands
                bad[i] = f"internal compiler error: {e!r}"
        t2 = time.monotonic()
        result.seconds = {"plan": t1 - t0, "compile": t2 - t1}
        compiled = list(compiled_all.values())
        if not plan.steps:
            return result
        if bad:
            # Plan again without the modules that did not compile: their instantiations and
            # the commands on their instances fail with the reason, the others run.
            unavailable = {plan.modules[i]: reason for i, reason in bad.items()}
            plan = Planner(convert(wast, Path(tmp)), unavailable, features).build()
            result.outcomes[:] = plan.outcomes
            compiled = [compiled_all[i] for i in sorted(compiled_all)]
            if not plan.steps:
                return result
        image = Path(tmp) / "spec.elf"
        # Spec modules import from spectest and from instances the script registers, and
        # assert_unlinkable expects the link error from the guest: imports are resolved there.
        link(compiled, image, imports=Imports.AT_INSTANTIATION)
        t3 = time.monotonic()
        answers, error = run_script(image, plan.script, timeout)
        result.seconds.update({"link": t3 - t2, "run": time.monotonic() - t3})
        result.outcomes.extend(pair(plan.steps, answers, error))
    return result


def pair(steps: list[GuestStep], answers: list[Answer], error: str | None) -> list[Outcome]:
    out = []
    for step, answer in zip(steps, answers, strict=False):
        try:
            out.append(judge(step, answer))
        except Exception as e:  # noqa: BLE001 - an answer the runner cannot judge fails alone
            out.append(Outcome(step.line, step.kind, False, f"cannot judge the answer: {e!r}"))
    for step in steps[len(answers):]:
        out.append(Outcome(step.line, step.kind, False, error or "guest gave no answer"))
    return out


def print_table(results: list[FileResult], stream: object = sys.stdout) -> None:
    kinds = [k for k in KINDS if any(r.counts()[(k, True)] + r.counts()[(k, False)]
                                     for r in results)]
    short = {k: k.replace("assert_", "") for k in kinds}
    header = f"{'file':<24}" + "".join(f"{short[k][:13]:>14}" for k in kinds) + f"{'total':>12}"
    print(header, file=stream)  # type: ignore[arg-type]
    for r in results:
        c = r.counts()
        cells = []
        for k in kinds:
            p, f = c[(k, True)], c[(k, False)]
            cells.append(f"{p}/{p + f}" if p + f else "-")
        passed = sum(v for (k, ok), v in c.items() if ok)
        total = sum(c.values())
        print(f"{r.path.stem:<24}" + "".join(f"{x:>14}" for x in cells) + f"{passed:>7}/{total}",
              file=stream)  # type: ignore[arg-type]


def main(files: list[str], *, json_out: Path | None, pattern: str | None, suite: Path | None,
         timeout: float, tier: str = "opt") -> int:
    suite = suite or default_suite()
    wasts = find_wast(files or [str(suite / "wasm-2.0")], suite)
    if pattern:
        wasts = [w for w in wasts if pattern in w.name]
    if not wasts:
        raise UserError("no .wast files selected")
    results: list[FileResult] = []
    start = time.monotonic()
    for i, wast in enumerate(wasts, 1):
        print(f"[{i}/{len(wasts)}] {wast.name}", file=sys.stderr, flush=True)
        results.append(run_file(wast, timeout, tier))
    print_table(results)
    failures = [(r.path.name, o) for r in results for o in r.outcomes if not o.passed]
    if failures:
        print("\nfailures:")
        for name, o in failures:
            print(f"  {name}:{o.line}: {o.kind}: {o.reason}")
    passed = sum(o.passed for r in results for o in r.outcomes)
    totals = Counter()
    for r in results:
        totals.update(r.seconds)
    print(f"\ntime: {time.monotonic() - start:.1f} s ("
          + ", ".join(f"{k} {v:.1f} s" for k, v in totals.items()) + ")")
    if json_out:
        json_out.write_text(json.dumps([
            {"file": r.path.name, "seconds": r.seconds,
             "outcomes": [o.__dict__ for o in r.outcomes]} for r in results], indent=1))
    print(f"{passed} passed, {len(failures)} failed")
    return 0 if not failures else 1
