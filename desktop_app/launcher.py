"""The ``photoseek`` program: a command runs headless through core's CLI; no command opens the
window. Core never imports the desktop app: this launcher hands the CLI a way to open it."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.cli.open_paths import OpenRequest


def _no_display() -> bool:
    """Linux/BSD without X11 or Wayland (an SSH session, a server): Qt would abort there."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    if os.environ.get("QT_QPA_PLATFORM"):
        return False  # chosen explicitly (offscreen, vnc, ...)
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_app(home: str | None, model: str | None, device: str | None,
             request: OpenRequest | None = None) -> int:
    """The window; ``request`` carries photos to search by and folders to offer (``photoseek
    PHOTO``, "Open with PhotoSeek"), handed to a running instance when there is one."""
    if _no_display():
        print("PhotoSeek's window needs a graphical desktop, and none was found (DISPLAY and "
              "WAYLAND_DISPLAY are unset). Use a command instead: photoseek --help",
              file=sys.stderr)
        return 1
    try:
        from desktop_app.app import run_app
    except ImportError as exc:
        print(f"The desktop app is not available ({exc}). Use a command: photoseek --help",
              file=sys.stderr)
        return 1
    return run_app(home=home, model=model, device=device, request=request)


def main(argv: Sequence[str] | None = None) -> int:
    from core.cli.main import main as cli_main

    return cli_main(argv, open_app=open_app)
