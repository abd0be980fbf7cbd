"""What can be done with photos: open, reveal, copy path, copy image. Never through a shell.

Opening uses QDesktopServices (the user's default app); revealing starts the platform's file
manager with an argument list through QProcess, or on Linux asks it over D-Bus (reveal.py).
Copying an image decodes it on the thumbs pool.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QProcess, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage

from desktop_app.tasks import TaskRunner

COPY_IMAGE_MAX_SIDE = 4096  # the clipboard holds raw pixels: cap them


def open_files(paths: list[Path]) -> None:
    for path in paths:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def reveal_command(path: Path, platform: str = sys.platform) -> tuple[str, list[str]] | None:
    """The program and arguments that show ``path`` in the file manager (None: open folder).

    The path goes as one argument, never through a shell, and absolute, so that a file named
    "-rf" or "--help" cannot be taken for an option.
    """
    path = Path(os.path.abspath(path))
    if platform == "darwin":
        return "open", ["-R", str(path)]
    if platform.startswith("win"):
        # explorer wants "/select," and the path as one argument
        return "explorer", [f"/select,{path}"]
    return None


def reveal_files(paths: list[Path]) -> None:
    commands = [reveal_command(p) for p in paths]
    if None in commands:
        # Linux: the file manager selects them over D-Bus; without one, open their folders.
        from desktop_app.reveal import show_items

        show_items(paths, open_folders)
        return
    for program, arguments in filter(None, commands):
        QProcess.startDetached(program, arguments)


def open_folders(paths: list[Path]) -> None:
    """Each photo's folder, once (no portable way to select the file itself)."""
    for folder in dict.fromkeys(p.parent for p in paths):
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def copy_paths(paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setText("\n".join(str(p) for p in paths))
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    QGuiApplication.clipboard().setMimeData(mime)


def copy_image(tasks: TaskRunner, path: Path) -> None:
    """Decode off the GUI thread, then put the pixels (and the file's url) on the clipboard."""

    def decode(_cancel: object) -> QImage:
        from core.imaging.loading import make_thumbnail
        from desktop_app.thumbnails import pil_to_qimage

        return pil_to_qimage(make_thumbnail(path, COPY_IMAGE_MAX_SIDE))

    def put(image: QImage) -> None:
        mime = QMimeData()
        mime.setImageData(image)
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        QGuiApplication.clipboard().setMimeData(mime)

    tasks.run("thumbs", decode, on_result=put, key="copy-image")
