"""What the compiler hands to the image builder: an object file plus its metadata.

The metadata layout (``ModuleMeta`` JSON) is specified in docs/ARCHITECTURE.md; it is a plain
dict so that it can be embedded in images and cached as JSON without a schema library.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CompiledModule:
    """A module compiled to a RISC-V ELF relocatable object."""

    meta: dict[str, Any]
    object_path: Path

    @property
    def prefix(self) -> str:
        """Symbol prefix of every symbol the object defines (unique per module content)."""
        return str(self.meta["prefix"])
