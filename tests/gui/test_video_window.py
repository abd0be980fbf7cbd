"""Videos in the window: a video found by a frame shows that frame as its tile (with a play
mark and the moment), the preview shows the frame and says the moment, and opening it starts
there in a player that allows it.

The clip shows a red circle for 8 s, then a blue square; the tiny CLIP trained on coloured
shapes finds it by either (tests/test_video.py checks the same in core).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLabel

from core.records import moment_text
from tests.gui.conftest import TIMEOUT_MS
from tests.shapes_clip import draw_shape
from tests.video_files import write_video

pytestmark = pytest.mark.gui

SCENE_S = 8.0
CLIP = "circle_then_square.mp4"


@pytest.fixture
def clip_library(tmp_path: Path, isolated_home: Path, shapes_model_path: Path) -> str:
    """Photos of shapes and the clip, indexed by core with the shapes model."""
    from core.library import Library

    root = tmp_path / "videos"
    rng = random.Random(4)
    for n, (colour, kind) in enumerate([("green", "circle"), ("yellow", "triangle"),
                                        ("red", "square"), ("blue", "circle")] * 2):
        root.mkdir(exist_ok=True)
        draw_shape(rng, colour, kind).save(root / f"photo_{n}.png")
    scenes = [draw_shape(random.Random(5), "red", "circle"),
              draw_shape(random.Random(6), "blue", "square")]
    write_video(root / CLIP, scenes, SCENE_S)
    model = f"test-tiny:{shapes_model_path}"
    library = Library(model=model)
    try:
        library.add_folder(root)
        assert library.index().failed == 0
    finally:
        library.close()
    return model


def _search(window, qtbot, words: str) -> None:
    window.search_bar.field.selectAll()  # typed over: no empty search in between
    qtbot.keyClicks(window.search_bar.field, words)
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact):
        pass


def _clip_row(window) -> int:
    names = [window.model.photo(r).path.name for r in range(window.model.rowCount())]
    assert names.count(CLIP) == 1, names  # listed once, however many frames matched
    return names.index(CLIP)


def _tile_colour(window, qtbot, row: int) -> QColor:
    index = window.model.index(row, 0)
    window.view.scrollTo(index)

    def tile() -> QPixmap | None:
        picture = index.data(Qt.ItemDataRole.DecorationRole)
        return picture if isinstance(picture, QPixmap) and not picture.isNull() else None

    qtbot.waitUntil(lambda: tile() is not None, timeout=TIMEOUT_MS)
    picture = tile()
    assert picture is not None
    image = picture.toImage()
    return QColor(image.pixel(image.width() // 2, image.height() // 2))


def test_the_matching_frame_is_the_tile_and_the_preview(
    make_window, clip_library: str, qtbot, monkeypatch
) -> None:
    window = make_window(model=clip_library)
    _search(window, qtbot, "blue square")
    row = _clip_row(window)
    hit = window.model.hit(row)
    assert hit.moment is not None and hit.moment >= SCENE_S
    assert window.model.video(row) == (True, hit.moment)
    blue = _tile_colour(window, qtbot, row)  # the square's middle, from the later frame
    assert blue.blue() > 150 > blue.red(), blue.name()
    tooltip = window.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert f"the frame at {moment_text(hit.moment)} matches" in tooltip

    _search(window, qtbot, "red circle")
    row = _clip_row(window)
    earlier = window.model.hit(row).moment
    assert earlier is not None and earlier < SCENE_S
    red = _tile_colour(window, qtbot, row)  # another moment: another tile
    assert red.red() > 150 > red.blue(), red.name()

    # The preview shows that frame, large, and says the moment.
    window.view.setCurrentIndex(window.model.index(row, 0))
    window.show_preview()
    preview = window.preview
    qtbot.waitUntil(lambda: preview.canvas.pixmap is not None
                    and preview.canvas.pixmap.width() >= 64, timeout=TIMEOUT_MS)
    assert preview.canvas.problem is None
    labels = [label.text() for label in preview.findChildren(QLabel)
              if label.isVisibleTo(preview)]
    assert any(moment_text(earlier) in text and "matches" in text for text in labels), labels
    image = preview.canvas.pixmap.toImage()
    centre = QColor(image.pixel(image.width() // 2, image.height() // 2))
    assert centre.red() > 150 > centre.blue(), centre.name()
    preview.close()

    # Opening starts the player at the moment (mpv here, found on PATH; the default app
    # otherwise, see test_player_choice).
    import desktop_app.actions as actions
    import desktop_app.video_player as video_player

    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(video_player, "default_video_app", lambda _path: None)
    monkeypatch.setattr(video_player.shutil, "which",
                        lambda name: "/usr/bin/mpv" if name == "mpv" else None)
    monkeypatch.setattr(actions.QProcess, "startDetached",
                        lambda program, args: started.append((program, args)) or (True, 1))
    window.open_selected()
    qtbot.waitUntil(lambda: bool(started), timeout=TIMEOUT_MS)
    program, args = started[0]
    assert program == "/usr/bin/mpv"
    assert args == [f"--start={earlier:.2f}", str(window.model.hit(row).photo.path)]


def test_video_marks_are_painted(qapp) -> None:
    """The play mark and the moment's badge land on the picture's corners; none without a
    moment but the play mark."""
    from PySide6.QtCore import QRect

    from desktop_app.thumbnail_delegate import ThumbnailDelegate

    def painted(moment: float | None) -> QImage:
        image = QImage(160, 120, QImage.Format.Format_RGB32)
        image.fill(QColor(40, 200, 40))
        painter = QPainter(image)
        ThumbnailDelegate.draw_video_marks(painter, QRect(0, 0, 160, 120), moment)
        painter.end()
        return image

    def changed(image: QImage, left: int, top: int) -> tuple[int, int]:
        """(dark pixels, white pixels) in a 40 x 30 corner."""
        colours = [QColor(image.pixel(x, y)) for x in range(left, left + 40)
                   for y in range(top, top + 30)]
        dark = sum(c.green() < 100 for c in colours)
        return dark, sum(c.red() > 200 and c.green() > 200 for c in colours)

    with_moment = painted(65.0)
    assert all(n > 5 for n in changed(with_moment, 0, 0))  # the play mark
    assert all(n > 5 for n in changed(with_moment, 120, 90))  # "1:05"
    assert QColor(with_moment.pixel(80, 60)) == QColor(40, 200, 40)  # the picture untouched
    without = painted(None)
    assert all(n > 5 for n in changed(without, 0, 0))
    assert changed(without, 120, 90) == (0, 0)


def test_player_choice() -> None:
    from desktop_app.video_player import player_command

    clip = Path("/videos/--help.mp4")
    installed = {"mpv": "/usr/bin/mpv", "vlc": "/usr/bin/vlc"}.get
    # The person's default player, when it can start at a moment.
    assert player_command(clip, 65.0, "vlc.desktop", installed) == (
        "/usr/bin/vlc", ["--start-time=65.00", "/videos/--help.mp4"])
    # Another default player: it is respected (the default app opens it, from the start).
    assert player_command(clip, 65.0, "org.gnome.Totem.desktop", installed) is None
    # No default known: an installed player that can.
    assert player_command(clip, 65.0, None, installed)[0] == "/usr/bin/mpv"
    assert player_command(clip, 65.0, None, lambda _name: None) is None
