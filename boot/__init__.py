"""osbuild.boot"""
