"""Network services: `osbuild run --tcplisten` with the example HTTP server
(examples/wasi/httpd.c) through real QEMU. Many concurrent keep-alive clients get every byte
right (the answers are checked against the files served and the uploads sent, the counter
against the number of requests), and clients that close mid-request, reset, never read or
send 10 MB leave the server serving; after the server exits, no QEMU or socket is left.
(wasmtime, the oracle elsewhere, cannot be one here: the Python package has no socket
preopens.)"""

from __future__ import annotations

import asyncio
import os
import socket
import struct
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXAMPLES, OSBUILD, ROOT, qemu_processes

pytestmark = pytest.mark.qemu

HTTPD = EXAMPLES / "wasi" / "httpd.wasm"
BOOT_TIMEOUT = 120.0


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    www: Path
    tmp: Path  # the server's TMPDIR: empty again once it has exited


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen[bytes]) -> None:
    """Until the server answers a request (the host listens at once; the guest takes a while
    to boot, and answers only then)."""
    deadline = time.monotonic() + BOOT_TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        try:
            status, _ = asyncio.run(asyncio.wait_for(one_request(port, "GET", "/index.html"),
                                                     5))
            if status == 200:
                return
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            time.sleep(0.2)
    raise AssertionError("the server did not answer in time")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    subprocess.run(["make", "-s", "wasi-examples"], cwd=ROOT, check=True)
    www = tmp_path_factory.mktemp("www")
    (www / "index.html").write_bytes(b"<h1>hello</h1>\n")
    (www / "big.bin").write_bytes(os.urandom(300_000))
    tmp = tmp_path_factory.mktemp("tmp")
    port = free_port()
    proc = subprocess.Popen([OSBUILD, "run", "--tcplisten", f"127.0.0.1:{port}", "--dir",
                             f"{www}::www", str(HTTPD), "www"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, TMPDIR=str(tmp)))
    try:
        wait_listening(port, proc)
        yield Server(proc, port, www, tmp)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


# --- a small HTTP/1.1 client --------------------------------------------------------------

def request_bytes(method: str, path: str, body: bytes = b"") -> bytes:
    return (f"{method} {path} HTTP/1.1\r\nHost: t\r\nContent-Length: {len(body)}\r\n\r\n"
            .encode() + body)


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    length = next(int(v) for k, _, v in (line.partition(": ") for line in lines[1:])
                  if k.lower() == "content-length")
    return status, await reader.readexactly(length)


async def one_request(port: int, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request_bytes(method, path, body))
        await writer.drain()
        return await read_answer(reader)
    finally:
        writer.close()


def get(server: Server, path: str) -> tuple[int, bytes]:
    return asyncio.run(asyncio.wait_for(one_request(server.port, "GET", path), 60))


# --- the tests ----------------------------------------------------------------------------

def test_many_concurrent_clients_get_every_byte(server: Server) -> None:
    """100 keep-alive connections at once, 20 requests each: files, uploads, the counter."""
    big = (server.www / "big.bin").read_bytes()
    counts: list[int] = []

    async def client(n: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        for i in range(20):
            kind = (n + i) % 3
            if kind == 0:
                writer.write(request_bytes("GET", "/big.bin"))
                assert await read_answer(reader) == (200, big)
            elif kind == 1:
                body = os.urandom(1000 * (n % 7) + i)
                writer.write(request_bytes("POST", "/upload", body))
                assert await read_answer(reader) == (200, f"{len(body)}\n".encode())
            else:
                writer.write(request_bytes("GET", "/count"))
                status, text = await read_answer(reader)
                assert status == 200
                counts.append(int(text))
        writer.close()

    async def all_clients() -> None:
        await asyncio.wait_for(asyncio.gather(*(client(n) for n in range(100))), 600)

    _, before = get(server, "/count")
    asyncio.run(all_clients())
    _, after = get(server, "/count")
    first = int(before) + 1
    assert sorted(counts) == list(range(first, first + len(counts)))
    assert int(after) == first + len(counts)


def test_clients_that_close_or_reset_mid_request(server: Server) -> None:
    for _ in range(5):
        with socket.create_connection(("127.0.0.1", server.port)) as s:
            s.sendall(b"GET /big.bin HTTP/1.1\r\nHo")  # and closes (FIN) mid-request
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(request_bytes("POST", "/upload", b"x" * 1000)[:-500])
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()  # vanishes: a reset
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(request_bytes("GET", "/big.bin"))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()  # resets while the answer is on its way
    assert get(server, "/index.html") == (200, b"<h1>hello</h1>\n")


def test_client_that_never_reads_stalls_only_itself(server: Server) -> None:
    s = socket.create_connection(("127.0.0.1", server.port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.setblocking(False)
    sent = 0
    try:
        for _ in range(200):  # 60 MB of answers asked for, none read
            sent += s.send(request_bytes("GET", "/big.bin"))
    except BlockingIOError:
        pass
    assert sent > 0
    for _ in range(5):
        assert get(server, "/index.html") == (200, b"<h1>hello</h1>\n")
    big = (server.www / "big.bin").read_bytes()
    assert get(server, "/big.bin") == (200, big)
    s.close()
    assert get(server, "/index.html")[0] == 200


def test_bytes_made_in_memory(server: Server) -> None:
    status, body = get(server, "/bytes/100000")
    assert status == 200
    assert body == bytes(ord("a") + i % 26 for i in range(100000))


def test_ten_megabyte_upload(server: Server) -> None:
    body = os.urandom(10 << 20)

    async def both() -> list[tuple[int, bytes]]:
        return await asyncio.wait_for(asyncio.gather(
            one_request(server.port, "POST", "/upload", body),
            one_request(server.port, "GET", "/index.html")), 300)

    assert asyncio.run(both()) == [(200, b"10485760\n"), (200, b"<h1>hello</h1>\n")]


def test_quit_leaves_no_qemu_or_socket(server: Server) -> None:
    assert get(server, "/quit") == (200, b"bye\n")
    assert server.proc.wait(timeout=60) == 0
    assert qemu_processes() == []
    assert list(server.tmp.iterdir()) == []  # the proxy's and QEMU's sockets are gone
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=5).close()


def test_bad_address_is_one_line() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        taken = s.getsockname()[1]
        r = subprocess.run([OSBUILD, "run", "--tcplisten", f"127.0.0.1:{taken}", str(HTTPD)],
                           capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert r.stderr.count("\n") == 1 and "--tcplisten" in r.stderr, r.stderr
