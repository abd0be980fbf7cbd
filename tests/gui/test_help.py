"""The Help menu: the keyboard shortcut sheet (F1), How to Search, and Copy Diagnostics."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui

NATIVE = QKeySequence.SequenceFormat.NativeText


def _menu(window, title: str):
    for top in window.menuBar().actions():
        if top.text().replace("&", "") == title:
            return top.menu()
    raise AssertionError(f"no {title} menu")


def _menu_action(window, title: str, text: str) -> QAction:
    for action in _menu(window, title).actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no {title} ▸ {text}")


def test_f1_shows_every_menu_key_by_menu_and_esc_closes_it(make_window, qtbot) -> None:
    from desktop_app.help_shortcuts import ShortcutSheet

    window = make_window(wait_model=False)
    window.activateWindow()
    window.search_bar.field.setFocus()
    qtbot.waitUntil(window.search_bar.field.hasFocus)
    assert _menu_action(window, "Help", "Keyboard Shortcuts").shortcut().toString() == "F1"
    qtbot.keyClicks(window.search_bar.field, "dog")
    qtbot.keyClick(window.search_bar.field, Qt.Key.Key_F1)
    sheet = window.findChild(ShortcutSheet)
    assert sheet is not None
    qtbot.waitUntil(sheet.isVisible)
    rows = sheet.rows()
    headings = [command for command, keys in rows if not keys]
    assert headings[:2] == ["File", "Edit"] and "Help" in headings
    assert "Tools" in headings and "Indexing" in headings
    groups: dict[str, list[tuple[str, str]]] = {}
    heading = ""
    for command, keys in rows:
        if keys:
            groups[heading].append((command, keys))
        else:
            heading = command
            groups[heading] = []
    # Every command of every menu that has a key is listed with all of its keys, under its menu
    # (Copy Path is in both Edit and Photo: under both).
    for top in window.menuBar().actions():
        for action in top.menu().actions():
            keys = ", ".join(k.toString(NATIVE) for k in action.shortcuts())
            if keys:
                command = action.text().replace("&", "")
                assert (command, keys) in groups[top.text().replace("&", "")], (command, keys)
    assert ("Find", "Ctrl+F, Ctrl+L") in groups["Edit"]
    # F1, then the platform's own help keys (the Help key on Linux; Cmd+? on a Mac).
    assert [k.split(", ")[0] for c, k in groups["Help"] if c == "Keyboard Shortcuts"] == ["F1"]
    assert ("Tags Panel", "Ctrl+T") in groups["View"]

    qtbot.waitUntil(lambda: QApplication.activeWindow() is sheet)
    qtbot.keyClick(sheet.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not sheet.isVisible())
    assert window.isVisible() and window.search_bar.field.text() == "dog"  # the sheet's Esc

    # Read from the actions each time: a command added later (with a key) shows up.
    extra = QAction("Frobnicate", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
    _menu(window, "Tools").addAction(extra)
    window.acts.shortcuts.trigger()
    qtbot.waitUntil(sheet.isVisible)
    assert ("Frobnicate", QKeySequence("Ctrl+Alt+J").toString(NATIVE)) in sheet.rows()
    assert window.findChildren(ShortcutSheet) == [sheet]  # one sheet, shown again
    sheet.close()


def test_how_to_search_opens_from_the_menu_and_the_welcome_page(make_window, qtbot) -> None:
    from desktop_app.help_search import HowToSearch

    window = make_window(wait_model=False)
    assert window.stack.currentWidget() is window.welcome  # a first run, no folders yet
    window.welcome.help_link.linkActivated.emit("help:search")
    page = window.findChild(HowToSearch)
    assert page is not None
    qtbot.waitUntil(page.isVisible)
    text = page.page.toPlainText()
    for heading in ("Words", "Photos", "Not", "Weights", "Filters", "Text in photos", "Tags"):
        assert f"\n{heading}\n" in f"\n{text}\n", heading
    assert "dog on a beach" in text
    page.close()
    qtbot.waitUntil(lambda: not page.isVisible())
    _menu_action(window, "Help", "How to Search").trigger()
    qtbot.waitUntil(page.isVisible)
    assert window.findChildren(HowToSearch) == [page]
    page.close()


def test_how_to_search_names_only_what_the_product_does(make_window) -> None:
    """The commands named exist in those menus; the typed filters are understood as said; the
    weights offered are those the chips offer."""
    from core.search.understanding import understand
    from desktop_app.help_search import COMMANDS, PAGE, TYPED_FILTERS
    from desktop_app.search_bar import WEIGHTS

    window = make_window(wait_model=False)
    page = " ".join(PAGE.split())
    for menu, command in COMMANDS:
        _menu_action(window, menu, command)
        assert f"{menu} ▸ {command}" in page
    assert window.acts.paste_image.shortcut().toString(NATIVE) in page
    assert window.acts.tags_panel.shortcut().toString(NATIVE) in page
    for typed, kind in TYPED_FILTERS:
        assert f"<i>{typed}</i>" in page
        assert [c.kind for c in understand(typed, date(2026, 12, 2)).chips] == [kind], typed
    assert "×0.5, ×1, ×2 or ×3" in page and WEIGHTS == (0.5, 1.0, 2.0, 3.0)
    for button in ("When", "Where", "Camera", "Type"):
        assert getattr(window.filter_bar, {"Type": "kind"}.get(button, button.lower())
                       ).text() == button


def test_copy_diagnostics_puts_the_report_on_the_clipboard(
    make_window, indexed_photos: Path, isolated_home: Path, qtbot
) -> None:
    from core import __version__

    window = make_window()
    QApplication.clipboard().setText("")
    messages: list[str] = []
    window.status.messageChanged.connect(messages.append)
    _menu_action(window, "Help", "Copy Diagnostics").trigger()
    qtbot.waitUntil(lambda: "Log file:" in QApplication.clipboard().text(), timeout=TIMEOUT_MS)
    report = QApplication.clipboard().text()
    lines = report.splitlines()
    assert lines[0] == f"PhotoSeek {__version__}"
    assert any(line.startswith("Python 3.") for line in lines)
    assert any(line.startswith("Qt 6.") for line in lines)
    assert any(line.startswith("OS: ") for line in lines)
    assert any(line.startswith("Language: en_US (system ") for line in lines)  # the shown one
    assert any(line.startswith("onnxruntime") for line in lines)
    assert any(line.startswith("open_clip_torch ") for line in lines)
    assert "Model: test-tiny" in lines
    assert "Model state: ready" in lines
    assert any(line.startswith("Backend: ") and "not loaded" not in line for line in lines)
    assert any(line.startswith("Image precision: ") for line in lines)
    assert any(line.startswith("Device: ") for line in lines)
    for line in ("Photos: 16", "Indexed: 16", "Pending: 0", "Failed: 0",
                 "Not read (RAW, video...): 0", "Folders: 1"):
        assert line in lines, line
    assert f"Data folder: {isolated_home}" in lines
    assert any(line.startswith(f"Log file: {isolated_home / 'logs' / 'photoseek.log'}")
               for line in lines)
    qtbot.waitUntil(lambda: any("copied to the clipboard" in m for m in messages))
    QApplication.clipboard().clear()


def test_package_versions_import_nothing_heavy() -> None:
    """Reading the versions must not import torch, open_clip or onnxruntime (seconds, and
    hundreds of megabytes, on the GUI thread's process)."""
    code = (
        "import sys\n"
        "from desktop_app.help_diagnostics import package_versions\n"
        "versions = package_versions()\n"
        "assert versions['torch'] != 'not installed', versions\n"
        "heavy = {'torch', 'open_clip', 'onnxruntime'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_part_that_cannot_be_read_is_said_and_the_rest_still_reported(
    make_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.help_diagnostics import gather_diagnostics

    window = make_window(wait_model=False)

    def broken() -> None:
        raise OSError("database disk image is malformed")

    monkeypatch.setattr(window.engine.session, "status", broken)
    lines = gather_diagnostics(window.engine).splitlines()
    assert "Library: not read (OSError: database disk image is malformed)" in lines
    assert lines[0].startswith("PhotoSeek ") and lines[-1].startswith("Log file: ")
