"""osbuild.jit"""
