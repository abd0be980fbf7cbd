"""Tools ▸ Find Duplicates… driven as a person would: open it from the keyboard, wait for the
groups, change ticks, move to the trash through the confirmation, cancel while looking.

The library holds real photos (skimage) with exact, re-encoded and resized copies and a burst
(tests/test_duplicates.py builds them); send2trash is the real one, with its trash under
tmp_path (XDG_DATA_HOME), so nothing reaches the machine's own trash.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from core.lifecycle.states import IndexingState
from tests.conftest import make_photo
from tests.gui.conftest import TIMEOUT_MS, TINY, shown_paths
from tests.test_duplicates import NAMES, make_duplicates_folder


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gui-duplicates") / "photos"
    make_duplicates_folder(root)
    return root


def _index(folder: Path) -> None:
    """Add and embed ``folder`` with core before the window opens (no work after embedding:
    places, tags and text are not what this file tests)."""
    from core.library import Library

    library = Library(model=TINY)
    try:
        library.add_folder(folder)
        library.scan()
        library.embed_pending()
    finally:
        library.close()


@pytest.fixture
def photos(originals: Path, tmp_path: Path, isolated_home: Path) -> dict[str, Path]:
    root = tmp_path / "photos"
    shutil.copytree(originals, root)
    _index(root)
    return {role: root / name for role, name in NAMES.items()}


@pytest.fixture
def trash_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """send2trash's trash under tmp_path: it reads XDG_DATA_HOME when imported, so its module
    is imported again here, and again afterwards with the real values."""
    import send2trash.plat_other

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path))
    importlib.reload(send2trash.plat_other)
    yield tmp_path / "xdg" / "Trash"
    monkeypatch.undo()
    importlib.reload(send2trash.plat_other)


def _open_duplicates(qtbot, window):
    """Ctrl+Shift+D, as listed in Tools ▸ Find Duplicates…"""
    window.activateWindow()
    qtbot.keyClick(window.view, Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.tool_windows["duplicates"]
    assert dialog.isVisible()
    return dialog


def _cards(dialog) -> dict[str, object]:
    return {card.member.photo.path.name: card for row in dialog.rows
            for card in row.cards.values()}


def _confirmation(qtbot) -> QMessageBox:
    found: list[QMessageBox] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=TIMEOUT_MS)
    return found[0]


def test_review_untick_and_move_to_trash(qtbot, make_window, photos, trash_folder) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: photos["coffee_q50"] in shown_paths(window), timeout=TIMEOUT_MS)
    # The start's scan over: a walk that listed a file before it moved would add it back.
    qtbot.waitUntil(lambda: window.engine.indexing is IndexingState.IDLE, timeout=TIMEOUT_MS)
    dialog = _open_duplicates(qtbot, window)
    qtbot.waitUntil(lambda: len(dialog.rows) == 4, timeout=TIMEOUT_MS)

    assert [row.heading.text() for row in dialog.rows] == [
        "Exact copies (the very same file) · 2 photos",
        "Re-encoded or resized copies · 2 photos",
        "Re-encoded or resized copies · 2 photos",
        "Burst: near-identical shots · 2 photos",
    ]
    assert f"among {len(photos)} photos compared" in dialog.heading.text()
    cards = _cards(dialog)
    keeper = cards["coffee.jpg"]
    assert keeper.state.text() == "Keep (suggested)" and not keeper.tick.isChecked()
    assert cards["coffee_sent.jpg"].tick.isChecked()
    assert cards["coffee_sent.jpg"].member.photo.size > 0
    lines = [label.text() for label in cards["astronaut (1).jpg"].findChildren(QLabel)]
    assert any(line.endswith(" · 512 × 512") and "KB" in line for line in lines), lines
    assert cards["coffee.jpg"].folder.full_text == str(photos["coffee"].parent)
    assert dialog.trash_button.text() == "Move 4 Photos to Trash…"
    qtbot.waitUntil(lambda: cards["rocket.jpg"].picture.pixmap() is not None
                    and not cards["rocket.jpg"].picture.pixmap().isNull(), timeout=TIMEOUT_MS)

    # Keep both frames of the burst; move the re-encoded coffee (which vanishes meanwhile).
    qtbot.mouseClick(cards["IMG_0002.jpg"].tick, Qt.MouseButton.LeftButton)
    assert cards["IMG_0002.jpg"].state.text() == "Keep"
    assert dialog.trash_button.text() == "Move 3 Photos to Trash…"
    photos["coffee_q50"].unlink()

    qtbot.mouseClick(dialog.trash_button, Qt.MouseButton.LeftButton)
    box = _confirmation(qtbot)
    assert "Move 3 photos to the trash?" in box.text()
    assert "system trash" in box.informativeText() and "restored" in box.informativeText()
    assert photos["astronaut_copy"].exists()  # asking moved nothing
    move = next(b for b in box.buttons() if b.text() == "Move to Trash")
    with qtbot.waitSignal(dialog.photos_removed, timeout=TIMEOUT_MS) as removed:
        qtbot.mouseClick(move, Qt.MouseButton.LeftButton)

    gone = [photos["astronaut_copy"], photos["rocket_half"]]
    assert sorted(removed.args[0]) == sorted(gone)
    assert sorted(p.name for p in (trash_folder / "files").iterdir()) == sorted(
        p.name for p in gone)
    assert not any(p.exists() for p in gone)
    assert photos["burst_b"].exists() and photos["coffee"].exists()
    # The file that could not move stays, with its reason; the groups of moved ones went.
    cards = _cards(dialog)
    assert cards["coffee_sent.jpg"].problem.text() == "Not moved: the file is no longer there"
    assert [row.group.kind for row in dialog.rows] == ["copy", "burst"]
    assert "1 photo could not be moved" in dialog.heading.text()
    assert dialog.trash_button.text() == "Move 0 Photos to Trash…"
    assert not dialog.trash_button.isEnabled()
    qtbot.waitUntil(lambda: not set(gone) & set(shown_paths(window)), timeout=TIMEOUT_MS)
    assert photos["burst_b"] in shown_paths(window)


def test_nothing_moves_without_confirming(qtbot, make_window, photos, trash_folder) -> None:
    window = make_window()
    dialog = _open_duplicates(qtbot, window)
    qtbot.waitUntil(lambda: len(dialog.rows) == 4, timeout=TIMEOUT_MS)
    qtbot.mouseClick(dialog.trash_button, Qt.MouseButton.LeftButton)
    box = _confirmation(qtbot)
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    assert box.defaultButton() is cancel  # Enter alone never moves photos
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert all(path.exists() for path in photos.values())
    assert not (trash_folder / "files").exists()
    assert len(dialog.rows) == 4


def test_cancel_while_looking_and_close(qtbot, make_window, photos) -> None:
    window = make_window()
    dialog = _open_duplicates(qtbot, window)
    assert dialog.cancel_button.isVisible()
    job = dialog.job
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert job.cancel_requested
    assert dialog.heading.text().startswith("Cancelled.")
    assert not dialog.cancel_button.isVisible() and dialog.again_button.isVisible()
    qtbot.waitUntil(lambda: not job.worker.is_alive(), timeout=TIMEOUT_MS)
    qtbot.wait(100)  # whatever the thread still sent is not shown
    assert dialog.rows == [] and not dialog.trash_button.isEnabled()

    qtbot.mouseClick(dialog.again_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.rows) == 4, timeout=TIMEOUT_MS)
    dialog.again_button.click()
    looking = dialog.job
    dialog.close()  # closing cancels
    assert looking.cancel_requested and not dialog.isVisible()
    qtbot.waitUntil(lambda: not looking.worker.is_alive(), timeout=TIMEOUT_MS)
    assert dialog.rows == []


def test_no_duplicates_says_so(qtbot, make_window, tmp_path: Path, isolated_home) -> None:
    root = tmp_path / "distinct"
    for n in range(6):
        make_photo(root / f"p{n}.jpg", 100 + n)
    _index(root)
    window = make_window()
    dialog = _open_duplicates(qtbot, window)
    qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=TIMEOUT_MS)
    assert dialog.heading.text() == "No duplicates found among 6 photos compared."
    assert dialog.rows == [] and not dialog.trash_button.isEnabled()


def test_many_groups_are_built_a_page_at_a_time(
    qtbot, make_window, tmp_path: Path, isolated_home
) -> None:
    from desktop_app.duplicates_window import PAGE

    root = tmp_path / "many"
    for n in range(PAGE + 6):
        first = make_photo(root / f"p{n:02d}.jpg", 200 + n)
        shutil.copyfile(first, root / f"p{n:02d} (1).jpg")
    _index(root)
    window = make_window()
    dialog = _open_duplicates(qtbot, window)
    qtbot.waitUntil(lambda: len(dialog.groups) == PAGE + 6, timeout=TIMEOUT_MS)
    assert len(dialog.rows) == PAGE
    assert dialog.trash_button.text() == f"Move {PAGE + 6} Photos to Trash…"  # every group's
    bar = dialog.scroll_area.verticalScrollBar()

    def scrolled_to_the_end() -> bool:
        bar.setValue(bar.maximum())  # as a person drags the scroll bar down
        return len(dialog.rows) == PAGE + 6

    qtbot.waitUntil(scrolled_to_the_end, timeout=TIMEOUT_MS)


def test_tools_menu_lists_both(make_window) -> None:
    window = make_window(wait_model=False)
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    assert [a.text() for a in tools.actions()] == ["Find &Duplicates…",
                                                  "&Evaluate Search Quality…"]
    assert window.acts.find_duplicates.shortcut().toString() == "Ctrl+Shift+D"


def test_a_cancelled_job_delivers_nothing_it_had_already_sent(qtbot, qapp) -> None:
    """What the thread sent before Cancel (queued for the GUI thread) is dropped too: a
    window never shows the groups it was told to stop looking for."""
    from desktop_app.long_job import LongJob

    def work(_cancel, progress):
        progress("steps", 1, 1)
        return "found"

    seen: list[object] = []
    job = LongJob(work, "test")
    job.progress.connect(seen.append)
    job.finished.connect(seen.append)
    job.start()
    job.worker.join(10)  # its progress and result now wait in the GUI thread's queue
    job.cancel()
    qtbot.wait(100)
    assert seen == [] and not job.running

    finished = LongJob(work, "test")
    with qtbot.waitSignal(finished.finished, timeout=TIMEOUT_MS) as done:
        finished.start()
    assert done.args == ["found"]
