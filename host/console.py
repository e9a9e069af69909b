"""Demultiplexing the guest's framed UART stream (docs/ARCHITECTURE.md, console protocol).

Frames are ``0x1E, channel, len_lo, len_hi, payload``; bytes before the first frame are the
firmware's banner. The demultiplexer is incremental: feed it whatever a read returned, get
back the complete frames, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MARK = 0x1E


@dataclass
class Demux:
    noise: bytearray = field(default_factory=bytearray)  # firmware output before frame one
    _buf: bytearray = field(default_factory=bytearray)
    _started: bool = False

    def feed(self, data: bytes) -> list[tuple[str, bytes]]:
        self._buf += data
        frames: list[tuple[str, bytes]] = []
        if not self._started:
            i = self._buf.find(MARK)
            if i < 0:
                self.noise += self._buf
                self._buf.clear()
                return frames
            self.noise += self._buf[:i]
            del self._buf[:i]
            self._started = True
        while len(self._buf) >= 4:
            if self._buf[0] != MARK:  # lost sync: skip to the next mark
                j = self._buf.find(MARK, 1)
                del self._buf[: j if j > 0 else len(self._buf)]
                continue
            n = self._buf[2] | (self._buf[3] << 8)
            if len(self._buf) < 4 + n:
                break
            frames.append((chr(self._buf[1]), bytes(self._buf[4 : 4 + n])))
            del self._buf[: 4 + n]
        return frames
