"""The parts on their own: task pools, the results model, the settings dialog."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel

from core.records import Photo, SearchHit
from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui


def test_a_newer_task_with_the_same_key_drops_the_older_one(qtbot) -> None:
    from desktop_app.tasks import TaskRunner

    runner = TaskRunner({"query": 1, "io": 1})
    release, started = threading.Event(), threading.Event()
    got: list[str] = []
    seen_cancel: list[bool] = []

    def slow(cancel: threading.Event) -> str:
        started.set()
        release.wait(5)
        seen_cancel.append(cancel.is_set())
        return "old"

    def worker_thread(_cancel: threading.Event) -> str:
        return threading.current_thread().name

    old = runner.run("query", slow, on_result=got.append, key="search")
    assert started.wait(5)  # it runs: the newer task must cancel it cooperatively
    new = runner.run("query", lambda _c: "new", on_result=got.append, key="search")
    assert old.dropped and not new.dropped
    release.set()
    qtbot.waitUntil(lambda: got == ["new"], timeout=TIMEOUT_MS)
    assert seen_cancel == [True]
    names: list[str] = []
    runner.run("io", worker_thread, on_result=names.append)
    qtbot.waitUntil(lambda: bool(names), timeout=TIMEOUT_MS)
    assert names[0].startswith("photoseek-io") and threading.current_thread().name != names[0]
    errors: list[BaseException] = []
    runner.run("io", lambda _c: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT_MS)
    assert isinstance(errors[0], ZeroDivisionError)
    runner.shutdown()


def _hits(ids: list[int]) -> list[SearchHit]:
    return [SearchHit(Photo(i, Path(f"/photos/{i}.jpg"), 1000), 1.0 - i / 100) for i in ids]


def test_refined_results_keep_selection_and_current_photo(qtbot, tmp_path: Path) -> None:
    from desktop_app.results_model import IdRole, ResultsModel
    from desktop_app.tasks import TaskRunner
    from desktop_app.thumbnails import ThumbnailLoader

    runner = TaskRunner()
    model = ResultsModel(ThumbnailLoader(runner, tmp_path))
    model.replace(_hits([1, 2, 3, 4, 5]))
    selection = QItemSelectionModel(model)
    selection.setCurrentIndex(model.index(3, 0), QItemSelectionModel.SelectionFlag.Select)
    assert model.index(3, 0).data(IdRole) == 4
    for refined in ([5, 4, 9, 1, 2, 8, 7], [4, 1], [4, 2, 6]):  # grows, shrinks, reorders
        model.replace(_hits(refined))
        assert [model.index(r, 0).data(IdRole) for r in range(model.rowCount())] == refined
        assert selection.currentIndex().data(IdRole) == 4
        assert [i.data(IdRole) for i in selection.selectedIndexes()] == [4]
    model.replace(_hits([7, 8]))
    assert not selection.selectedIndexes()
    runner.shutdown()


def test_thumbnail_memory_cache_is_bounded() -> None:
    from PySide6.QtGui import QPixmap

    from desktop_app.thumbnails import PixmapCache, size_bucket

    cache = PixmapCache(max_bytes=10 * 100 * 100 * 4)
    for n in range(25):
        cache.put((Path(f"/p/{n}"), 128), QPixmap(100, 100))
    assert len(cache) == 10 and cache.bytes <= cache.max_bytes
    assert cache.get((Path("/p/24"), 128)) is not None and cache.get((Path("/p/0"), 128)) is None
    assert size_bucket(100) == 128 and size_bucket(320) == 320 and size_bucket(5000) == 1024


def test_settings_dialog_saves_device_and_excluded(
    make_window, indexed_photos: Path, isolated_home: Path, qtbot
) -> None:
    from core.config.settings import Settings
    from desktop_app.settings_dialog import SettingsDialog

    window = make_window()
    dialog = SettingsDialog(window.engine, window)
    names = [dialog.model_box.itemData(i) for i in range(dialog.model_box.count())]
    assert "test-tiny" in names and "ViT-B-32:laion2b_s34b_b79k" in names
    dialog.excluded.addItem(str(indexed_photos / "sub"))
    dialog.accept()
    saved = isolated_home / "settings.json"
    qtbot.waitUntil(
        lambda: Settings.load(saved).excluded == (str(indexed_photos / "sub"),), timeout=TIMEOUT_MS
    )
    qtbot.waitUntil(lambda: window.engine.library.status().photos == 12, timeout=TIMEOUT_MS)


def test_switching_model_indexes_in_the_background_then_swaps(
    make_window, indexed_photos: Path, tiny_weights_path: Path, qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from core.catalog import lookups
    from core.library import Library

    embedding, release = threading.Event(), threading.Event()
    real_embed = Library.embed_pending

    def held_embed(self, *args, **kwargs):  # the new model's indexing, held open a while
        if self.model_name != "test-tiny":
            embedding.set()
            release.wait(TIMEOUT_MS / 1000)
        return real_embed(self, *args, **kwargs)

    monkeypatch.setattr(Library, "embed_pending", held_embed)
    window = make_window()
    new_model = f"test-tiny:{tiny_weights_path}"
    window.engine.switch_model(new_model, "cpu")
    try:
        qtbot.waitUntil(embedding.is_set, timeout=TIMEOUT_MS)
        # The state crosses threads to reach the window: wait for it, as for any signal.
        qtbot.waitUntil(lambda: window.banner.state == "switching", timeout=TIMEOUT_MS)
        assert window.banner.cancel_button.isVisible()
        with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                              check_params_cb=lambda r: r.exact):
            window.search_bar.set_text("a green circle")  # the old model answers meanwhile
        assert window.controller.ranked and window.model.rowCount() == 16
        assert window.engine.library.model_name == "test-tiny"
    finally:
        release.set()
    qtbot.waitUntil(lambda: window.engine.library.model_name == new_model, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=TIMEOUT_MS)
    library = window.engine.library
    with library.catalog.read() as conn:
        by_model = lookups.vectors_by_model(conn)
    assert by_model[library.model_identity] == 16  # the new model's own vectors
    assert by_model["test-tiny"] == 16  # the old ones are kept, never mixed
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS,
                          check_params_cb=lambda r: r.exact):
        window.search_bar.set_text("a red square")
    assert window.controller.ranked and window.model.rowCount() == 16
