"""RAW photos in the window: a RAW's tile and its preview are decoded through core.imaging like
any photo (the camera's embedded preview or LibRaw's demosaic), and a RAW+JPEG pair is one tile,
the JPEG, whose preview says which RAW is kept with it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QLabel

from tests.conftest import make_photo
from tests.gui.conftest import TIMEOUT_MS, TINY, shown_paths
from tests.raw_files import write_dng

pytestmark = pytest.mark.gui


@pytest.fixture
def camera_card(tmp_path: Path, isolated_home: Path) -> Path:
    """A RAW+JPEG pair and a RAW alone (no preview: its tile is demosaiced), indexed by core."""
    from core.library import Library

    root = tmp_path / "card"
    make_photo(root / "IMG_0001.JPG", 1)
    write_dng(root / "IMG_0001.CR2", preview=(1024, 768))
    write_dng(root / "IMG_0002.DNG", preview=None)
    library = Library(model=TINY)
    try:
        library.add_folder(root)
        library.index()
    finally:
        library.close()
    return root


def test_a_raw_has_a_tile_and_a_preview_and_a_pair_says_raw_plus_jpeg(
    make_window, camera_card: Path, qtbot
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=TIMEOUT_MS)
    assert sorted(p.name for p in shown_paths(window)) == ["IMG_0001.JPG", "IMG_0002.DNG"]
    row = [p.name for p in shown_paths(window)].index("IMG_0002.DNG")
    index = window.model.index(row, 0)
    window.view.scrollTo(index)

    def tile() -> QPixmap | None:
        picture = index.data(Qt.ItemDataRole.DecorationRole)
        return picture if isinstance(picture, QPixmap) and not picture.isNull() else None

    qtbot.waitUntil(lambda: tile() is not None, timeout=TIMEOUT_MS)
    picture = tile().toImage()
    # The mosaic's red left half and blue right half, demosaiced by LibRaw.
    left = QColor(picture.pixel(picture.width() // 8, picture.height() // 2))
    right = QColor(picture.pixel(picture.width() * 7 // 8, picture.height() // 2))
    assert left.red() > 150 > left.blue() and right.blue() > 150 > right.red()

    window.view.setCurrentIndex(index)
    window.show_preview()
    preview = window.preview
    qtbot.waitUntil(lambda: preview.canvas.pixmap is not None
                    and preview.canvas.pixmap.width() >= 300, timeout=TIMEOUT_MS)
    assert preview.canvas.problem is None

    def details() -> list[str]:
        return [label.text().replace("\u200b", "") for label in preview.findChildren(QLabel)
                if label.isVisibleTo(preview)]

    assert "RAW+JPEG" not in details()  # a RAW alone is a photo of its own
    jpeg = [p.name for p in shown_paths(window)].index("IMG_0001.JPG")
    window.view.setCurrentIndex(window.model.index(jpeg, 0))
    window.show_preview()
    qtbot.waitUntil(lambda: "RAW+JPEG" in details(), timeout=TIMEOUT_MS)
    shown = details()
    assert shown[shown.index("RAW+JPEG") + 1] == "IMG_0001.CR2"
