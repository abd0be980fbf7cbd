"""What a drop or a paste holds: folders to add, photos to search by."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData

PASTED_DIR = "pasted"


def classify_drop(mime: QMimeData | None) -> tuple[list[Path], list[Path]]:
    """(folders, photo files) among the mime data's local urls; other things are ignored.

    Only names are looked at (one stat per url to tell folders from files), so this is cheap
    enough for dragEnterEvent.
    """
    from core.imaging import is_supported

    folders: list[Path] = []
    images: list[Path] = []
    if mime is None or not mime.hasUrls():
        return folders, images
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.is_dir():
            folders.append(path)
        elif is_supported(path):
            images.append(path)
    return folders, images


def paste_target(home: Path, now: float) -> Path:
    """Pasted pixels are saved in the data folder (never in a photo folder)."""
    return home / PASTED_DIR / f"pasted-{int(now * 1000)}.png"
