"""Kernel sources (C11 + RISC-V assembly), shipped as package data for the image builder."""
