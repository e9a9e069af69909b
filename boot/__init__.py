"""osbuild.boot: packs the kernel and compiled modules into one bootable image."""

from .image import build_image

__all__ = ["build_image"]
