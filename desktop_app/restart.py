"""Restart PhotoSeek: for a setting that applies at start (the interface's language).

The app is single-instance (desktop_app.single_instance): a new process started while this one
still listens would hand its start over to a process on its way out, and no window would come
back. So this one quits first, and the new process is started from ``aboutToQuit`` (after the
engine's shutdown, connected earlier, has run) once the instance server is closed.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QProcess
from PySide6.QtWidgets import QWidget

from desktop_app.single_instance import InstanceServer


def restart_command() -> tuple[str, list[str]]:
    """The program and arguments that start this PhotoSeek again, as it was started."""
    if getattr(sys, "frozen", False):  # a bundle: the executable is the app
        return sys.argv[0], sys.argv[1:]
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name:  # python -m desktop_app: a module, not a script path
        module = spec.name.removesuffix(".__main__")
        return sys.executable, ["-m", module, *sys.argv[1:]]
    return sys.executable, list(sys.argv)  # the photoseek script, or a script run by path


def restart(window: QWidget) -> bool:
    """Close ``window`` (the main one), quit, and start PhotoSeek again as the app quits.

    False when the window refused to close: then nothing happens, now or at a later quit.
    """
    app = QCoreApplication.instance()
    if app is None:
        return False
    program, arguments = restart_command()

    def start_again() -> None:
        app.aboutToQuit.disconnect(start_again)
        for server in app.findChildren(InstanceServer):
            server.close()  # idempotent; the new process must not hand its start back to us
        QProcess.startDetached(program, arguments, os.getcwd())

    app.aboutToQuit.connect(start_again)
    if not window.close():
        app.aboutToQuit.disconnect(start_again)
        return False
    app.quit()  # closing the last window quits too, but a tool window left open must not stay
    return True
