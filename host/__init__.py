"""osbuild.host"""
