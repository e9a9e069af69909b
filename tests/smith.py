"""wasm-tools smith configured to the features the compiler supports (WebAssembly 2.0; SIMD on
request), with memories and tables bounded so that resource limits never differ between engines,
and NaNs canonicalized so that their (legitimately nondeterministic) bits cannot show."""

from __future__ import annotations

import subprocess

from osbuild.jit.wasmtools import executable

OPTIONS = [
    "--max-imports", "0", "--export-everything", "true", "--min-funcs", "1",
    "--max-funcs", "12", "--max-instructions", "400", "--max-memories", "1",
    "--max-memory32-bytes", "1048576", "--memory-max-size-required", "true",
    "--max-tables", "2", "--max-table-elements", "1000", "--table-max-size-required", "true",
    "--simd-enabled", "false", "--relaxed-simd-enabled", "false", "--threads-enabled", "false",
    "--exceptions-enabled", "false", "--gc-enabled", "false", "--tail-call-enabled", "false",
    "--memory64-enabled", "false", "--custom-page-sizes-enabled", "false",
    "--wide-arithmetic-enabled", "false", "--extended-const-enabled", "false",
    "--shared-everything-threads-enabled", "false",
    # NaN bit patterns are nondeterministic in wasm (RISC-V makes canonical NaNs, x86 keeps
    # payloads); smith canonicalizes them so that reinterpret and stores stay comparable.
    "--canonicalize-nans", "true",
]


def smith(seed: bytes, *, simd: bool = False) -> bytes | None:
    """A valid module from the seed bytes, or None if smith could not make one. With `simd`,
    v128 code too (NaNs canonicalized per lane; relaxed SIMD stays off: its results may
    legitimately differ between engines)."""
    options = list(OPTIONS)
    if simd:
        i = options.index("--simd-enabled")
        options[i + 1] = "true"
    r = subprocess.run([str(executable()), "smith", *options], input=seed,
                       capture_output=True, check=False)
    return r.stdout if r.returncode == 0 else None
