"""wasm-tools smith configured to the features the compiler supports (WebAssembly 2.0; SIMD and
the 3.0 features on request), with memories and tables bounded so that resource limits never
differ between engines, and NaNs canonicalized so that their (legitimately nondeterministic)
bits cannot show."""

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


# WebAssembly 3.0 outside GC and exceptions: memory64 (bounded like 32-bit memories), several
# memories, tail calls, extended constant expressions. Typed function references have no
# switch of their own in smith: it generates them only with GC, which stays off.
WASM3 = {
    "--memory64-enabled": "true", "--max-memories": "3", "--tail-call-enabled": "true",
    "--extended-const-enabled": "true",
}
WASM3_EXTRA = ["--max-memory64-bytes", "1048576"]


def smith(seed: bytes, *, simd: bool = False, wasm3: bool = False,
          exceptions: bool = False, gc: bool = False) -> bytes | None:
    """A valid module from the seed bytes, or None if smith could not make one. With `simd`,
    v128 code too (NaNs canonicalized per lane; relaxed SIMD stays off: its results may
    legitimately differ between engines); with `wasm3`, the 3.0 features of `WASM3`; with
    `exceptions`, tags, throw, throw_ref and try_table; with `gc`, GC types and instructions
    (and the typed function references that come with them)."""
    options = list(OPTIONS)
    switches = {"--simd-enabled": "true"} if simd else {}
    if wasm3:
        switches.update(WASM3)
        options += WASM3_EXTRA
    if exceptions:
        switches["--exceptions-enabled"] = "true"
    if gc:
        switches["--gc-enabled"] = "true"
    for name, value in switches.items():
        options[options.index(name) + 1] = value
    r = subprocess.run([str(executable()), "smith", *options], input=seed,
                       capture_output=True, check=False)
    return r.stdout if r.returncode == 0 else None
