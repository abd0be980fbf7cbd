"""Tools ▸ Evaluate Search Quality… driven as a person would: open it from the menu, type the
folder, tick robustness, Evaluate, and read the table and the chart; a folder without labels;
Cancel.

The app runs the test-tiny CLIP trained on coloured shapes (tests/shapes_clip.py), so the
folder's labels ("red circle", ...) are really found and the figures mean something.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from core.models.names import LEGACY_DEFAULT_MODEL
from tests.conftest import make_photo, tree_fingerprint
from tests.gui.conftest import TIMEOUT_MS
from tests.shapes_clip import draw_shape

LABELS = (("red", "circle"), ("blue", "square"), ("green", "triangle"))


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    """Four shapes per label, each label in its subfolder ("red_circle/..."), and a stray
    photo at the top (a distractor)."""
    root = tmp_path / "labelled"
    rng = random.Random(7)
    for colour, shape in LABELS:
        folder = root / f"{colour}_{shape}"
        folder.mkdir(parents=True)
        for n in range(4):
            draw_shape(rng, colour, shape).save(folder / f"{n}.png")
    make_photo(root / "stray.jpg", 3)
    return root


def _open_dialog(qtbot, window):
    """Tools ▸ Evaluate Search Quality…, from the menu bar."""
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    action = next(a for a in tools.actions() if a.text() == "&Evaluate Search Quality…")
    action.trigger()
    dialog = window.tool_windows["evaluation"]
    qtbot.waitUntil(dialog.isVisible, timeout=TIMEOUT_MS)
    return dialog


def _type_folder(qtbot, dialog, folder: Path) -> None:
    dialog.folder.setFocus()
    qtbot.keyClicks(dialog.folder, str(folder))


def test_evaluate_a_labelled_folder_shows_table_and_chart(
    qtbot, make_window, shapes_model_path: Path, labelled: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = f"test-tiny:{shapes_model_path}"
    window = make_window(model=model)
    dialog = _open_dialog(qtbot, window)
    models = [dialog.models.item(r) for r in range(dialog.models.count())]
    assert models[0].text() == f"{model} (in use now)"
    assert dialog.chosen_models() == [model]  # the others are offered, not ticked
    # Offline here: the known models are not downloaded, and each says what it would cost.
    small = next(item for item in models if item.text().startswith(LEGACY_DEFAULT_MODEL))
    qtbot.waitUntil(lambda: "not downloaded: about 605 MB first" in small.text(),
                    timeout=TIMEOUT_MS)
    assert "downloaded first" in dialog.model_note.text()
    assert "internet" in dialog.model_note.text()
    before = tree_fingerprint(labelled)

    _type_folder(qtbot, dialog, labelled)
    qtbot.mouseClick(dialog.robustness, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.cancel_button.isVisible()
    qtbot.waitUntil(dialog.results.isVisible, timeout=TIMEOUT_MS)

    table = dialog.results.table
    assert dialog.status.text() == "Done."
    assert table.columnCount() == 1
    assert table.horizontalHeaderItem(0).text() == "test-tiny:shapes"
    rows = {table.verticalHeaderItem(r).text(): table.item(r, 0).text()
            for r in range(table.rowCount())}
    assert list(rows)[:10] == [
        "Photos ranked", "Recall@1", "Recall@5", "Recall@10", "mAP", "NDCG@10", "MRR",
        "Search time p50 (ms)", "Search time p95 (ms)", "Indexing (photos/s)"]
    assert rows["Photos ranked"] == "13"
    # Four photos per label: a model that finds them fills the first five with them.
    assert float(rows["Recall@5"]) == pytest.approx(1.0)
    assert float(rows["mAP"]) > 0.9 and float(rows["MRR"]) == pytest.approx(1.0)
    assert float(rows["Indexing (photos/s)"]) > 0
    robust = [label for label in rows if label.endswith(": Recall@1 / mAP")]
    assert robust == ["JPEG quality 30: Recall@1 / mAP", "Gaussian blur: Recall@1 / mAP",
                      "Rotated 15 degrees: Recall@1 / mAP", "Centre crop 70%: Recall@1 / mAP"]
    assert "3 labels from subfolders, prompt ensembles" in dialog.results.summary.text()
    chart = dialog.results.chart_view.pixmap()
    assert chart is not None and not chart.isNull() and chart.width() == 560

    qtbot.mouseClick(dialog.results.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0] == "\ttest-tiny:shapes"
    assert copied[2] == f"Recall@1\t{rows['Recall@1']}"

    saved = tmp_path / "charts" / "recall"
    saved.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args, **_kw: (str(saved), "PNG images (*.png)"))
    qtbot.mouseClick(dialog.results.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.results.saved.text().startswith("Chart saved"),
                    timeout=TIMEOUT_MS)
    with Image.open(saved.with_suffix(".png")) as png:
        assert png.size == (800, 500)
    assert tree_fingerprint(labelled) == before  # nothing written into the folder


def test_a_folder_without_labels_says_so_and_cancel_stops(
    qtbot, make_window, labelled: Path, tmp_path: Path
) -> None:
    window = make_window()
    dialog = _open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Choose the folder of photos to evaluate."

    flat = tmp_path / "flat"
    make_photo(flat / "a.jpg", 1)
    _type_folder(qtbot, dialog, flat)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("No labels found"),
                    timeout=TIMEOUT_MS)
    message = dialog.status.text()
    assert "\n" not in message and message.endswith("or give a captions file.")
    assert "--" not in message  # no command-line flags in the window
    assert not dialog.results.isVisible() and dialog.run_button.isEnabled()

    dialog.folder.clear()
    _type_folder(qtbot, dialog, labelled)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    job = dialog.job
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert job.cancel_requested and dialog.status.text() == "Cancelled."
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not job.worker.is_alive(), timeout=TIMEOUT_MS)
    assert not dialog.results.isVisible() and dialog.status.text() == "Cancelled."

    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    running = dialog.job
    dialog.close()  # closing cancels too
    assert running.cancel_requested
    qtbot.waitUntil(lambda: not running.worker.is_alive(), timeout=TIMEOUT_MS)
    assert not dialog.results.isVisible()
