"""Photos and folders handed to PhotoSeek from outside: ``photoseek PHOTO``/``FOLDER``, a file
manager's "Open with PhotoSeek", or a later start handing its request to this instance.

Photos become the search ("photos like these"); folders are offered, never added silently: a
question box asks first, without a nested event loop (``open()``, not ``exec()``). The paths
arrive classified by the command's process (core.cli.open_paths), so nothing here touches the
disk on the GUI thread.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from core.cli.open_paths import OpenRequest
from desktop_app.i18n import number, translate

if TYPE_CHECKING:
    from desktop_app.main_window import MainWindow

_OPEN = "open "
_SEARCH = "search "  # the older one-photo form of the single-instance protocol


def to_message(request: OpenRequest) -> str:
    """One line for the single-instance socket (JSON escapes any newline in a path)."""
    return _OPEN + json.dumps({"photos": [str(p) for p in request.photos],
                               "folders": [str(p) for p in request.folders]})


def from_message(message: str) -> OpenRequest | None:
    """The request a message carries; None for "activate" and for anything malformed."""
    if message.startswith(_SEARCH):
        return OpenRequest(photos=(Path(message.removeprefix(_SEARCH)),))
    if not message.startswith(_OPEN):
        return None
    try:
        data = json.loads(message.removeprefix(_OPEN))
        photos = tuple(Path(p) for p in data.get("photos", []) if isinstance(p, str))
        folders = tuple(Path(p) for p in data.get("folders", []) if isinstance(p, str))
    except (ValueError, AttributeError, TypeError):
        return None
    return OpenRequest(photos, folders)


def open_request(window: MainWindow, request: OpenRequest) -> QMessageBox | None:
    """Search by the photos; ask whether to add the folders. The question box, if any."""
    if request.photos:
        window.search_bar.add_images(list(request.photos))
    if not request.folders:
        return None
    return _offer_folders(window, request.folders)


def _offer_folders(window: MainWindow, folders: tuple[Path, ...]) -> QMessageBox:
    names = "\n".join(str(f) for f in folders)
    # translate() with this module's context: lupdate cannot tell what ``window.tr`` is.
    text = (translate("OpenRequests", "Add this folder to your library?") if len(folders) == 1
            else translate("OpenRequests", "Add these {0} folders to your library?"
                           ).format(number(len(folders))))
    box = QMessageBox(QMessageBox.Icon.Question, translate("OpenRequests", "Add Folder"), text,
                      QMessageBox.StandardButton.NoButton, window)
    box.setObjectName("offer_folders")
    box.setInformativeText(names + "\n\n" + translate(
        "OpenRequests", "PhotoSeek indexes the photos in it, and keeps up with changes. "
        "Nothing in the folder is changed."))
    add = box.addButton(translate("OpenRequests", "Add to Library"),
                        QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(add)

    def answered(button: QAbstractButton) -> None:
        if button is add:
            for folder in folders:
                window.add_folder(str(folder))

    box.buttonClicked.connect(answered)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # indexing and searching go on while it asks
    return box
