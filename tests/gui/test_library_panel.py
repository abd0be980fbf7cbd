"""The library side: standby, indexing without a model, the folders panel, caches, menus."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from core.records import Failure, Folder, LibraryStatus
from desktop_app.folders_panel import PathRole
from tests.conftest import make_photo
from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui

MISSING = "test-tiny:/nowhere/missing.safetensors"


def test_standby_while_another_process_indexes_is_shown(
    make_window, indexed_photos: Path, isolated_home: Path, qtbot
) -> None:
    from core.fs.locks import HeldLock
    from core.library.library import INDEXER_LOCK

    other = HeldLock(isolated_home / INDEXER_LOCK)  # what `photoseek watch` holds
    assert other.acquire()
    try:
        window = make_window()
        window.engine.session.service.request_scan()
        qtbot.waitUntil(lambda: "Another PhotoSeek process is indexing"
                        in window.status.index_label.text(), timeout=TIMEOUT_MS)
        assert not window.notice.isVisible()  # a state, not an error
    finally:
        other.release()


def test_new_files_are_found_while_the_model_is_missing(
    make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window(model=MISSING, wait_model=False)
    qtbot.waitUntil(lambda: window.banner.state == "failed", timeout=TIMEOUT_MS)
    assert "--model" not in window.banner.label.text()  # GUI users get the button's name
    session = window.engine.session
    qtbot.waitUntil(lambda: session.service is not None and session.watcher is not None,
                    timeout=TIMEOUT_MS)
    make_photo(indexed_photos / "later.jpg", 77)  # the watcher sees it; the service scans
    # "indexed / found": 16 of the 17 photos have a vector of this model (the old model's)
    qtbot.waitUntil(lambda: window.folders.tree.topLevelItem(0).text(1).endswith("17"),
                    timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.model.rowCount() == 17 or window.new_matches.isVisible(),
                    timeout=TIMEOUT_MS)


def test_selecting_a_folder_indexes_it_first(make_window, indexed_photos: Path, qtbot) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.engine.session.service is not None, timeout=TIMEOUT_MS)
    tree = window.folders.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1 and tree.topLevelItem(0).text(1)
                    .startswith("16"), timeout=TIMEOUT_MS)
    folder_id = window.engine.library.folders()[0].id
    tree.topLevelItem(0).setSelected(True)
    assert window.engine.session.service._priority == folder_id


def test_a_folder_can_be_removed_from_the_menu(
    make_window, indexed_photos: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    tree = window.folders.tree
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1
                    and bool(tree.topLevelItem(0).data(0, PathRole)), timeout=TIMEOUT_MS)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    assert not window.acts.remove_folder.isEnabled()
    tree.topLevelItem(0).setSelected(True)
    assert window.acts.remove_folder.isEnabled()
    window.acts.remove_folder.trigger()  # File ▸ Remove Folder…
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.folders.hint.isVisible() and not tree.isVisible(),
                    timeout=TIMEOUT_MS)
    assert "No folders yet" in window.folders.hint.text()


def test_failures_are_listed_under_their_folder_with_reasons(qtbot) -> None:
    from desktop_app.folders_panel import FoldersPanel

    panel = FoldersPanel()
    qtbot.addWidget(panel)
    root = Path("/photos")
    folder = Folder(1, root, True, "native", photos=3, indexed=2, failed=1)
    panel.show_status(LibraryStatus(3, 2, 1, 0, "test-tiny", [folder]))
    panel.show_failures([Failure(root / "sub" / "broken.jpg", "not an image: truncated")])
    group = panel.tree.topLevelItem(0).child(0)
    assert group.text(0) == "1 could not be read"
    assert group.child(0).text(0) == "broken.jpg — not an image: truncated"
    assert group.child(0).toolTip(0) == f"{Path('sub/broken.jpg')}\nnot an image: truncated"
    assert group.child(0).isFirstColumnSpanned()  # no narrow column squeezes the name


def test_failures_panel_caps_rows_and_keeps_expanded_groups(qtbot) -> None:
    from desktop_app.folders_panel import FAILURES_SHOWN, FoldersPanel

    panel = FoldersPanel()
    qtbot.addWidget(panel)
    root = Path("/photos")
    folder = Folder(1, root, True, "native", photos=6000, indexed=10, failed=5000)
    status = LibraryStatus(6000, 10, 5000, 5990, "test-tiny", [folder])
    failures = [Failure(root / f"bad{n}.jpg", "not an image") for n in range(5000)]
    panel.show_status(status)
    panel.show_failures(failures)
    top = panel.tree.topLevelItem(0)
    group = top.child(0)
    assert group.childCount() == FAILURES_SHOWN + 1
    assert group.child(FAILURES_SHOWN).text(0) == f"… and {5000 - FAILURES_SHOWN:,} more"
    top.setExpanded(True)
    group.setExpanded(True)
    more = Folder(1, root, True, "native", photos=6000, indexed=500, failed=5000)
    panel.show_status(LibraryStatus(6000, 500, 5000, 5500, "test-tiny", [more]))
    assert panel.tree.topLevelItem(0) is top and top.text(1) == "500 / 6,000"  # in place
    panel.show_failures([*failures, Failure(root / "worse.jpg", "truncated")])  # rebuilt
    top = panel.tree.topLevelItem(0)
    assert top.isExpanded() and top.child(0).isExpanded()


def test_a_full_disk_while_caching_thumbnails_still_shows_them(
    make_window, indexed_photos: Path, isolated_home: Path, qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PIL import Image

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Image.Image, "save", full)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 16, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(window.loader.memory) >= 16, timeout=TIMEOUT_MS)
    assert not list((isolated_home / "thumbnails").rglob("*.jpg"))
    assert not list((isolated_home / "thumbnails").rglob("*.tmp"))
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        window.search_bar.set_text("a red circle")  # the app still works


def test_disk_thumbnail_cache_and_pasted_images_are_bounded(tmp_path: Path) -> None:
    import os

    from desktop_app.thumbnails import prune_disk_cache
    from desktop_app.window_drops import paste_target, prune_pasted

    cache = tmp_path / "thumbnails"
    for n in range(10):
        f = cache / f"{n:02d}" / f"{n}.jpg"
        f.parent.mkdir(parents=True)
        f.write_bytes(b"x" * 1000)
        os.utime(f, (1000 + n, 1000 + n))
    assert prune_disk_cache(cache, max_bytes=4000) == 6
    assert sorted(p.name for p in cache.rglob("*.jpg")) == ["6.jpg", "7.jpg", "8.jpg", "9.jpg"]
    assert prune_disk_cache(tmp_path / "none", max_bytes=1) == 0
    pasted = [paste_target(tmp_path, 1_700_000_000 + n) for n in range(25)]
    for p in pasted:
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b"png")
    assert prune_pasted(pasted[0].parent, keep=20) == 5
    assert sorted(pasted[0].parent.iterdir()) == sorted(pasted[5:])


def test_every_command_is_in_a_menu(make_window, qtbot) -> None:
    from dataclasses import fields

    window = make_window(wait_model=False)
    in_menus = set()
    for menu_action in window.menuBar().actions():
        in_menus.update(menu_action.menu().actions())
    missing = [f.name for f in fields(window.acts) if getattr(window.acts, f.name) not in in_menus]
    assert missing == []
