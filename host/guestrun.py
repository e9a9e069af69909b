"""The spec runner's use of the guest: one boot per script, every answer frame collected."""

from __future__ import annotations

from pathlib import Path

from .session import Timeout, boot

ANSWERS = ("R", "T", "L")


def run_script(image: Path, script: str, timeout: float) -> tuple[list[tuple[str, str]],
                                                                   str | None]:
    """Answers (channel, payload) in order, and why the guest stopped early, if it did."""
    answers: list[tuple[str, str]] = []
    trouble: list[str] = []

    def on_frame(channel: str, payload: bytes) -> None:
        if channel in ANSWERS:
            answers.append((channel, payload.decode(errors="replace")))
        elif channel == "P":
            trouble.append(payload.decode(errors="replace").splitlines()[0])

    try:
        status, _ = boot(image, "continue-on-trap\n" + script, on_frame, timeout=timeout)
    except Timeout:
        return answers, f"guest timed out after {timeout:.0f} s"
    if trouble:
        return answers, trouble[0]
    return answers, None if status == 0 else f"guest exited with status {status}"
