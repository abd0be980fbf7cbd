"""Settings' "Use a weights file…": the architecture is detected (or picked), the file checked
before anything changes, and only a file that fits becomes the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.gui.conftest import TIMEOUT_MS


def _choose(monkeypatch: pytest.MonkeyPatch, qtbot, dialog, path: Path) -> None:
    """Click "Use a weights file…" with the file dialog answering ``path``."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_a, **_k: (str(path), "")))
    qtbot.mouseClick(dialog.weights.button, Qt.MouseButton.LeftButton)


def test_a_fitting_file_is_detected_checked_and_becomes_the_model(
    make_window, indexed_photos: Path, tiny_weights_path: Path, qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop_app.settings_dialog import SettingsDialog

    window = make_window()
    dialog = SettingsDialog(window.engine, window)
    assert dialog.weights.button.text() == "Use a weights file…"
    _choose(monkeypatch, qtbot, dialog, tiny_weights_path)
    model = f"test-tiny:{tiny_weights_path}"
    qtbot.waitUntil(lambda: dialog.model_box.currentData() == model, timeout=TIMEOUT_MS)
    assert dialog.weights.arch_box.currentData() == "test-tiny"  # the one fit, preselected
    assert "fits test-tiny" in dialog.weights.message.text()
    assert "checked" in dialog.model_note.text()
    dialog.accept()  # through the usual model switch
    qtbot.waitUntil(lambda: window.engine.library.model_name == model, timeout=TIMEOUT_MS)


def test_a_misfit_says_one_sentence_and_changes_nothing(
    make_window, indexed_photos: Path, tiny_weights_path: Path, tmp_path: Path, qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import torch
    from safetensors.torch import load_file, save_file

    from desktop_app.settings_dialog import SettingsDialog
    from desktop_app.weights_file import PICK

    window = make_window()
    dialog = SettingsDialog(window.engine, window)
    before = [dialog.model_box.itemData(i) for i in range(dialog.model_box.count())]
    saved_model = window.engine.settings.model
    row = dialog.weights

    short = tmp_path / "short.safetensors"
    short.write_bytes(tiny_weights_path.read_bytes()[:4000])
    _choose(monkeypatch, qtbot, dialog, short)
    qtbot.waitUntil(lambda: "cut short" in row.message.text(), timeout=TIMEOUT_MS)
    assert row.arch_box.isHidden() and row.button.isEnabled()

    # Weights of no known architecture: the user picks one, and the check says it does not fit.
    state = load_file(str(tiny_weights_path))
    state["visual.extra"] = torch.zeros(3)
    odd = tmp_path / "odd.safetensors"
    save_file(state, str(odd))
    _choose(monkeypatch, qtbot, dialog, odd)
    qtbot.waitUntil(lambda: "choose it from the list" in row.message.text(), timeout=TIMEOUT_MS)
    assert not row.arch_box.isHidden()
    assert row.arch_box.currentText() == PICK  # nothing preselected
    row.arch_box.setCurrentIndex(row.arch_box.findData("test-tiny"))
    row.arch_box.activated.emit(row.arch_box.currentIndex())
    qtbot.waitUntil(lambda: "does not fit test-tiny" in row.message.text(), timeout=TIMEOUT_MS)
    assert "\n" not in row.message.text() and "visual." not in row.message.text()

    assert [dialog.model_box.itemData(i) for i in range(dialog.model_box.count())] == before
    assert dialog.model_box.currentData() == "test-tiny"
    dialog.accept()
    qtbot.wait(200)
    assert window.engine.library.model_name == "test-tiny"
    assert window.engine.settings.model == saved_model  # nothing saved
