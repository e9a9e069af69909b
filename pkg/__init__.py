"""osbuild: a WebAssembly microkernel OS for QEMU's RISC-V virt machine.

The subpackages map to the repository's top-level folders: ``osbuild.jit`` (compiler),
``osbuild.boot`` (image builder), ``osbuild.host`` (the command line), ``osbuild.guest``
(kernel sources shipped as package data).
"""

__version__ = "0.1.0"
