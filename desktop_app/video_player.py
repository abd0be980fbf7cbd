"""Opening a video at the moment a search matched, where the player allows it.

The desktop's "open" has no way to say "start at 1:05", but common players take it on their
command line: mpv ``--start=65``, VLC ``--start-time=65``, Celluloid ``--mpv-start=65``. The
person's default player is used when it is one of them; with no default known (no
``xdg-mime``), an installed mpv or VLC is; otherwise the video opens in the default app, from
its start. Everything here that touches the disk or starts a program runs off the GUI thread
(``find_player``) or is a detached start (``actions``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

# Desktop entry names (as ``xdg-mime query default`` answers) -> program and its start option.
_PLAYERS: tuple[tuple[str, str, str], ...] = (
    ("mpv", "mpv", "--start={:.2f}"),
    ("vlc", "vlc", "--start-time={:.2f}"),
    ("celluloid", "celluloid", "--mpv-start={:.2f}"),
)
_MIME = {".mp4": "video/mp4", ".m4v": "video/x-m4v", ".mov": "video/quicktime",
         ".mkv": "video/x-matroska", ".webm": "video/webm", ".avi": "video/x-msvideo"}


def player_command(
    path: Path, moment: float, default_app: str | None, which: Callable[[str], str | None]
) -> tuple[str, list[str]] | None:
    """The program and arguments that play ``path`` from ``moment`` seconds, or None (open it
    with the default app). The path goes last, absolute, as one argument: a file named
    "--help" is never an option."""
    candidates = _PLAYERS
    if default_app:
        candidates = tuple(p for p in _PLAYERS if p[0] in default_app.lower())
        if not candidates:
            return None  # the person chose another player: respect it
    for _desktop, program, option in candidates:
        found = which(program)
        if found:
            return found, [option.format(max(0.0, moment)), str(path.absolute())]
    return None


def default_video_app(path: Path, platform: str = sys.platform) -> str | None:
    """The desktop entry that opens this kind of video (Linux), or None where unknown.
    Worker side: it runs ``xdg-mime``."""
    if not platform.startswith("linux"):
        return None
    mime = _MIME.get(path.suffix.lower(), "video/mp4")
    program = shutil.which("xdg-mime")
    if program is None:
        return None
    try:
        answer = subprocess.run(
            [program, "query", "default", mime], capture_output=True, text=True, timeout=3,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return answer.stdout.strip() or None


def find_player(path: Path, moment: float) -> tuple[str, list[str]] | None:
    """Worker side: how to play ``path`` from ``moment`` on this computer (see above)."""
    return player_command(path, moment, default_video_app(path), shutil.which)
