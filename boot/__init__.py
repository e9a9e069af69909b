"""osbuild.boot: packs the kernel and compiled modules into one bootable image."""

from __future__ import annotations

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (issue 14)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["build_image"]


def __getattr__(name: str) -> Any:
    if name == "build_image":
        from .image import build_image

        return build_image
    raise AttributeError(name)
