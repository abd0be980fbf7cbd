"""What a drop or a paste holds: folders to add, photos to search by; where pastes are kept."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QMimeData

log = logging.getLogger(__name__)

PASTED_DIR = "pasted"
PASTED_KEEP = 20  # pasted images are examples for a search, not a collection: keep the latest


def has_local_files(mime: QMimeData | None) -> bool:
    """Whether a drag may be worth accepting. Names only, no stat: dragEnterEvent and
    dragMoveEvent run on the GUI thread for every mouse move, and a network path can stall."""
    return mime is not None and mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())


def names_local_photos(mime: QMimeData | None) -> bool:
    """Whether the mime data holds local files named like photos (by name: no disk access)."""
    from core.imaging.loading import is_supported

    if mime is None or not mime.hasUrls():
        return False
    return any(u.isLocalFile() and is_supported(Path(u.toLocalFile())) for u in mime.urls())


def classify_drop(mime: QMimeData | None) -> tuple[list[Path], list[Path]]:
    """(folders, photo files) among the mime data's local urls; other things are ignored.

    One stat per url (to tell folders from files): call it once, on the drop itself.
    """
    from core.imaging.loading import is_supported

    folders: list[Path] = []
    images: list[Path] = []
    if mime is None or not mime.hasUrls():
        return folders, images
    for url in mime.urls():
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if is_supported(path):
            images.append(path)  # by name: no stat needed for a photo
        elif path.is_dir():
            folders.append(path)
    return folders, images


def paste_target(home: Path, now: float) -> Path:
    """Pasted pixels are saved in the data folder (never in a photo folder)."""
    return home / PASTED_DIR / f"pasted-{int(now * 1000)}.png"


def prune_pasted(folder: Path, keep: int = PASTED_KEEP) -> int:
    """Delete all but the ``keep`` newest pasted images (worker side: it lists a folder)."""
    try:
        pasted = sorted(folder.glob("pasted-*.png"), key=lambda p: p.name, reverse=True)
    except OSError:
        return 0
    removed = 0
    for old in pasted[keep:]:  # names carry the time in ms, so they sort by age
        try:
            old.unlink()
            removed += 1
        except OSError as exc:
            log.info("could not remove old pasted image %s: %s", old, exc)
    return removed
