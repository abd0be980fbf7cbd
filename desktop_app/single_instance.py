"""One app per data folder: a second start hands its request to the first and exits.

Two windows writing one catalog would fight over it. The first instance listens on a local
socket (a Unix domain socket or a Windows named pipe: local IPC only, nothing on the network)
named after its data folder; a second instance connects, sends one line ("activate",
"search <path>" for a photo to find similar ones, or "open <JSON>" with the photos and folders
of ``photoseek PATH...``: desktop_app.open_requests) and quits once the first answers "ok". An
instance on its way out (its window closed) answers nothing: the second then opens its own
window instead of handing its request to a process that is about to exit.
"""

from __future__ import annotations

import hashlib
import logging
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

_CONNECT_MS = 500
_ANSWER_MS = 2000  # a running app answers at its next event-loop turn
ACK = b"ok\n"


def server_name(home: Path) -> str:
    """A short name that is the same for every start with this data folder."""
    digest = hashlib.sha1(str(home.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"photoseek-{digest}"


def hand_over(home: Path, message: str = "activate") -> bool:
    """Send ``message`` to a running instance; True when one took it (and said so)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(home))
    if not socket.waitForConnected(_CONNECT_MS):
        return False
    socket.write((message + "\n").encode("utf-8"))
    taken = socket.waitForBytesWritten(_CONNECT_MS) and _answered(socket)
    socket.disconnectFromServer()
    return taken


def _answered(socket: QLocalSocket) -> bool:
    while not socket.canReadLine():
        if not socket.waitForReadyRead(_ANSWER_MS):
            return False  # an instance shutting down: it takes nothing any more
    return bytes(socket.readLine().data()) == ACK


class InstanceServer(QObject):
    """Listens for later starts; ``message`` carries each one's request (on the GUI thread)."""

    message = Signal(str)

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        # Only this user may connect (the socket file gets mode 0700 semantics).
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        name = server_name(home)
        if not self._server.listen(name):
            # A socket file left by a crashed instance: nobody answered hand_over, so remove it.
            QLocalServer.removeServer(name)
            if not self._server.listen(name):
                log.warning("single-instance socket unavailable: %s", self._server.errorString())

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()
        for socket in self._server.findChildren(QLocalSocket):  # the connections it accepted
            socket.abort()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(partial(self._serve, socket))
            self._serve(socket)  # its line may have arrived before readyRead was connected

    def _serve(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()
            if line and self.listening:
                socket.write(ACK)
                socket.flush()
                self.message.emit(line)
