"""Linux: show photos selected in the file manager, through the freedesktop FileManager1 D-Bus
interface (Nautilus, Dolphin, Nemo, Caja, Thunar and others implement it).

The call is asynchronous, so a slow or absent file manager never blocks the GUI thread. QtDBus
is used when the binding has it; otherwise ``dbus-send`` runs with an argument list (never a
shell). When neither can show the files, ``fallback`` gets them (the caller opens their folders).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QProcessEnvironment

log = logging.getLogger(__name__)

FM_SERVICE = "org.freedesktop.FileManager1"
FM_PATH = "/org/freedesktop/FileManager1"
CALL_TIMEOUT_MS = 5000
_alive: set[QObject] = set()  # calls in flight: kept referenced until they answer


def file_uri(path: Path) -> str:
    """The file:// URI of the name's raw bytes: non-UTF-8 names survive, and commas are escaped
    (dbus-send's array syntax splits on them)."""
    return "file://" + quote(os.fsencode(os.path.abspath(path)), safe="/")


def show_items(paths: list[Path], fallback: Callable[[list[Path]], None]) -> None:
    """Ask the file manager to show ``paths`` selected.

    ``fallback(paths)`` runs instead (at once, or when the call fails) if no session bus or no
    file manager on it can do it.
    """
    if not paths:
        return
    address = session_bus_address()
    if address is None:
        fallback(paths)
        return
    uris = [file_uri(p) for p in paths]
    failed = lambda: fallback(paths)  # noqa: E731 - a closure over paths, shared by both ways
    if not _call_with_qtdbus(uris, failed, address):
        _call_with_dbus_send(uris, failed, address)


def session_bus_address() -> str | None:
    """The session bus as libdbus finds it, read at each call, or None. Never "autolaunch:":
    libdbus would start a dbus-daemon, synchronously, when neither the variable nor the
    standard socket exists."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.exists(os.path.join(runtime, "bus")):  # a stat on a local tmpfs
        return f"unix:path={os.path.join(runtime, 'bus')}"
    return None


def _call_with_qtdbus(uris: list[str], failed: Callable[[], None], address: str) -> bool:
    """False when QtDBus is missing (PySide6-Essentials may lack it) or the bus is unreachable."""
    try:
        from PySide6.QtDBus import (
            QDBusConnection,
            QDBusMessage,
            QDBusPendingCallWatcher,
        )
    except ImportError:
        return False
    # A connection named by its address (not sessionBus(), which Qt caches, even a failed one,
    # for the whole process): a bus that appears later, or changes, is still found.
    bus = QDBusConnection.connectToBus(address, f"photoseek-reveal-{address}")
    if not bus.isConnected():
        return False
    message = QDBusMessage.createMethodCall(FM_SERVICE, FM_PATH, FM_SERVICE, "ShowItems")
    message.setArguments([uris, ""])  # (as uris, s startup id): a list of str goes as "as"
    watcher = QDBusPendingCallWatcher(bus.asyncCall(message, CALL_TIMEOUT_MS))
    _alive.add(watcher)

    def finished(done: QDBusPendingCallWatcher) -> None:
        _alive.discard(done)
        done.deleteLater()
        if done.isError():
            log.info("no file manager showed the files (%s)", done.error().message())
            failed()

    watcher.finished.connect(finished)
    return True


def _call_with_dbus_send(uris: list[str], failed: Callable[[], None], address: str) -> None:
    process = QProcess(QCoreApplication.instance())
    env = QProcessEnvironment.systemEnvironment()
    env.insert("DBUS_SESSION_BUS_ADDRESS", address)
    process.setProcessEnvironment(env)
    process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
    arguments = [
        "--session", "--print-reply", f"--reply-timeout={CALL_TIMEOUT_MS}",
        f"--dest={FM_SERVICE}", FM_PATH, f"{FM_SERVICE}.ShowItems",
        "array:string:" + ",".join(uris), "string:",
    ]
    _alive.add(process)
    state = {"done": False}

    def finish(ok: bool) -> None:
        if state["done"]:
            return  # a failed start reports through both signals
        state["done"] = True
        _alive.discard(process)
        process.deleteLater()
        if not ok:
            output = bytes(process.readAll().data()).decode(errors="replace").strip()
            log.info("dbus-send could not show the files: %s", output or process.errorString())
            failed()

    process.finished.connect(
        lambda code, status: finish(code == 0 and status == QProcess.ExitStatus.NormalExit)
    )
    process.errorOccurred.connect(
        lambda error: finish(False) if error == QProcess.ProcessError.FailedToStart else None
    )
    process.start("dbus-send", arguments)
