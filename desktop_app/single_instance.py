"""One app per data folder: a second start hands its request to the first and exits.

Two windows writing one catalog would fight over it. The first instance listens on a local
socket (a Unix domain socket or a Windows named pipe: local IPC only, nothing on the network)
named after its data folder; a second instance connects, sends one line ("activate", or
"search <path>" for a photo to find similar ones) and quits.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

_CONNECT_MS = 500


def server_name(home: Path) -> str:
    """A short name that is the same for every start with this data folder."""
    digest = hashlib.sha1(str(home.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"photoseek-{digest}"


def hand_over(home: Path, message: str = "activate") -> bool:
    """Send ``message`` to a running instance; True when one took it."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(home))
    if not socket.waitForConnected(_CONNECT_MS):
        return False
    socket.write((message + "\n").encode("utf-8"))
    delivered = socket.waitForBytesWritten(_CONNECT_MS)
    socket.disconnectFromServer()
    return delivered


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
            socket.readyRead.connect(self._read)

    def _read(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        while socket.canReadLine():
            line = bytes(socket.readLine().data()).decode("utf-8", "replace").strip()
            if line:
                self.message.emit(line)
