"""HTTP load: requests per second and latency percentiles of the example server
(examples/wasi/httpd.c) under `osbuild run --tcplisten`, and of the same C source built
natively for the host with clang (-O2) as the reference, in one run.

The load generator is this script's own asyncio client: CONNS keep-alive connections, each
sending one request, reading the whole answer, then the next, for DURATION seconds after a
short warm-up; every answer is checked (status and length). Latency is per request, from
writing it to having the answer's last byte. Figures for 1, 10 and 100 connections and three
requests: `GET /count` (a few bytes: the cost per request), `GET /bytes/65536` (64 KiB made
up in memory: the cost per byte of the transport) and `GET /file` (a 64 KiB file of the
`--dir`: the same plus reading it, over 9P in the guest). Throughput is wall time by nature;
the client shares the machine with the server (and, for ours, QEMU), so the figures are of
this machine as loaded.

Run: .venv/bin/python bench/http_load.py [--duration S] [--conns 1,10,100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "examples" / "wasi" / "httpd.c"
WASM = ROOT / "examples" / "wasi" / "httpd.wasm"
OSBUILD = [sys.executable, "-m", "osbuild.host.cli"]
FILE_SIZE = 64 * 1024
WARMUP = 1.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def answer(reader: asyncio.StreamReader) -> tuple[int, int]:
    """(status, body length) of one answer, its body read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    length = next(int(v) for k, _, v in (line.partition(": ") for line in lines[1:])
                  if k.lower() == "content-length")
    await reader.readexactly(length)
    return int(lines[0].split()[1]), length


async def connection(port: int, path: str, until: float, warm: float,
                     latencies: list[float], expect: int | None) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
    while (start := time.perf_counter()) < until:
        writer.write(request)
        status, length = await answer(reader)
        if status != 200 or (expect is not None and length != expect):
            raise RuntimeError(f"bad answer to {path}: {status}, {length} bytes")
        if start >= warm:
            latencies.append(time.perf_counter() - start)
    writer.close()


def load(port: int, path: str, conns: int, duration: float, expect: int | None) -> dict:
    latencies: list[float] = []

    async def run() -> None:
        now = time.perf_counter()
        await asyncio.gather(*(connection(port, path, now + WARMUP + duration, now + WARMUP,
                                          latencies, expect) for _ in range(conns)))

    asyncio.run(run())
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {"rps": len(latencies) / duration, "p50": pct(0.50), "p90": pct(0.90),
            "p99": pct(0.99), "n": len(latencies)}


async def probe(port: int) -> None:
    """One request, answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /count HTTP/1.1\r\nHost: bench\r\n\r\n")
    await answer(reader)
    writer.close()


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            asyncio.run(asyncio.wait_for(probe(port), 5))
            return
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            time.sleep(0.3)
    raise RuntimeError("the server did not answer in time")


def quit_server(port: int, proc: subprocess.Popen[bytes]) -> None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET /quit HTTP/1.1\r\nHost: bench\r\n\r\n")
            s.recv(1024)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def measure(name: str, cmd: list[str], port: int, conns: list[int], duration: float) -> None:
    proc = subprocess.Popen(cmd, cwd=ROOT)
    try:
        wait_ready(port, proc)
        for path, expect in (("/count", None), (f"/bytes/{FILE_SIZE}", FILE_SIZE),
                             ("/file", FILE_SIZE)):
            for n in conns:
                r = load(port, path, n, duration, expect)
                print(f"{name:8} {path:13} {n:5} {r['rps']:10.0f} {r['p50']:8.2f} "
                      f"{r['p90']:8.2f} {r['p99']:8.2f} {r['n']:8}", flush=True)
    finally:
        quit_server(port, proc)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per figure")
    ap.add_argument("--conns", default="1,10,100", help="concurrent connections, comma-separated")
    ns = ap.parse_args()
    conns = [int(c) for c in ns.conns.split(",")]
    subprocess.run(["make", "-s", "examples/wasi/httpd.wasm"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory(prefix="osbuild-http-") as tmp:
        www = Path(tmp) / "www"
        www.mkdir()
        (www / "file").write_bytes(os.urandom(FILE_SIZE))
        native = Path(tmp) / "httpd"
        subprocess.run(["clang", "-O2", str(SOURCE), "-o", str(native)], check=True)
        print(f"{'server':8} {'path':13} {'conns':>5} {'req/s':>10} {'p50 ms':>8} "
              f"{'p90 ms':>8} {'p99 ms':>8} {'requests':>8}")
        port = free_port()
        measure("native", [str(native), str(www), str(port)], port, conns, ns.duration)
        port = free_port()
        measure("osbuild", [*OSBUILD, "run", "--tcplisten", f"127.0.0.1:{port}", "--dir",
                            f"{www}::www", str(WASM), "www"], port, conns, ns.duration)
    return 0


if __name__ == "__main__":
    sys.exit(main())
