"""End to end through the Library facade: real files, real SQLite, real hnswlib, the tiny model."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from core.library import Library
from core.search.query import build_query
from tests.conftest import TINY_MODEL, make_photo, tree_fingerprint


def _final(library: Library, query, k: int = 10):
    answers = list(library.search(query, k=k))
    assert [a.exact for a in answers] == [False, True]
    return answers[-1]


def test_index_then_find_a_copy_of_a_library_photo(library, photo_dir, tmp_path):
    library.add_folder(photo_dir)
    summary = library.index()
    assert (summary.added, summary.embedded, summary.failed) == (16, 16, 0)
    status = library.status()
    assert (status.photos, status.indexed, status.pending, status.failed) == (16, 16, 0, 0)

    copy = tmp_path / "elsewhere" / "copy.jpg"
    copy.parent.mkdir()
    shutil.copy(photo_dir / "img_03.jpg", copy)
    best = _final(library, build_query(images=[str(copy)])).hits[0]
    assert best.photo.path == photo_dir / "img_03.jpg"
    assert best.score > 0.99


def test_query_photo_from_the_library_is_not_returned(library, photo_dir):
    library.add_folder(photo_dir)
    library.index()
    target = photo_dir / "img_05.jpg"
    hits = _final(library, build_query(images=[str(target)]), k=100).hits
    paths = [h.photo.path for h in hits]
    assert target not in paths
    assert len(paths) == 15  # k larger than the library: every other photo


def test_fast_answer_then_exact_answer_with_scores(library, photo_dir):
    library.add_folder(photo_dir)
    library.index()
    fast, exact = list(library.search(build_query("a photo"), k=5))
    assert not fast.exact and exact.exact
    scores = [h.score for h in exact.hits]
    assert scores == sorted(scores, reverse=True) and len(scores) == 5
    assert all(-1.0 <= s <= 1.0 for s in scores)


def test_newer_search_supersedes_older(library, photo_dir):
    library.add_folder(photo_dir)
    library.index()
    older = library.search(build_query("first"), k=5)
    assert next(older).exact is False
    newer = list(library.search(build_query("second"), k=5))
    assert len(newer) == 2
    assert list(older) == [], "the older search stops once a newer one started"


def test_cancel_event_stops_a_search(library, photo_dir):
    library.add_folder(photo_dir)
    library.index()
    cancel = threading.Event()
    gen = library.search(build_query("x"), k=5, cancel=cancel)
    next(gen)
    cancel.set()
    assert list(gen) == []


def test_incremental_unchanged_changed_deleted(library, photo_dir):
    library.add_folder(photo_dir)
    library.index()
    again = library.index()
    assert (again.added, again.changed, again.embedded, again.removed) == (0, 0, 0, 0)

    make_photo(photo_dir / "img_00.jpg", 999, size=(200, 150))  # new content, new size
    (photo_dir / "img_01.jpg").unlink()
    summary = library.index()
    assert (summary.changed, summary.removed, summary.embedded) == (1, 1, 1)
    assert library.status().photos == 15
    hits = _final(library, build_query(images=[str(photo_dir / "img_02.jpg")]), k=50).hits
    assert photo_dir / "img_01.jpg" not in [h.photo.path for h in hits]


def test_rename_and_move_keep_their_vectors(library, photo_dir):
    library.add_folder(photo_dir)
    library.index()
    os.rename(photo_dir / "img_04.jpg", photo_dir / "renamed.jpg")
    (photo_dir / "deeper").mkdir()
    os.rename(photo_dir / "sub" / "pic_12.png", photo_dir / "deeper" / "pic_12.png")
    summary = library.index()
    assert (summary.moved, summary.added, summary.removed, summary.embedded) == (2, 0, 0, 0)
    copy = photo_dir.parent / "probe.jpg"
    shutil.copy(photo_dir / "renamed.jpg", copy)
    assert _final(library, build_query(images=[str(copy)])).hits[0].photo.path == (
        photo_dir / "renamed.jpg"
    )


def test_bad_files_are_recorded_and_never_stop_the_run(library, photo_dir):
    (photo_dir / "empty.jpg").write_bytes(b"")
    (photo_dir / "page.jpg").write_text("<html><body>not a photo</body></html>")
    good = (photo_dir / "img_06.jpg").read_bytes()
    (photo_dir / "truncated.jpg").write_bytes(good[: len(good) // 3])
    library.add_folder(photo_dir)
    summary = library.index()
    assert summary.embedded == 16 and summary.failed == 3
    reasons = {f.path.name: f.reason for f in library.failures()}
    assert set(reasons) == {"empty.jpg", "page.jpg", "truncated.jpg"}
    assert all(r and "Traceback" not in r for r in reasons.values())
    # A failed file that is unchanged is not retried; a fixed one is.
    assert library.index().failed == 0
    make_photo(photo_dir / "empty.jpg", 77)
    fixed = library.index()
    assert (fixed.changed, fixed.embedded) == (1, 1)


def test_photo_folders_are_never_written(library, photo_dir, tmp_path):
    (photo_dir / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nrubbish")
    before = tree_fingerprint(photo_dir)
    library.add_folder(photo_dir)
    library.index()
    list(library.search(build_query("anything"), k=3))
    library.forget_folder(photo_dir)
    assert tree_fingerprint(photo_dir) == before


def test_cancel_between_batches_then_resume(isolated_home, tmp_path):
    root = tmp_path / "many"
    for n in range(80):
        make_photo(root / f"p{n:03d}.png", n, size=(64, 64))
    lib = Library(model=TINY_MODEL)
    lib.add_folder(root)
    cancel = threading.Event()
    seen = []

    def progress(p):
        seen.append(p)
        if p.phase == "embedding" and p.done >= 32:
            cancel.set()

    first = lib.index(progress=progress, cancel=cancel)
    assert first.cancelled and 32 <= first.embedded < 80
    lib.close()
    lib = Library(model=TINY_MODEL)
    second = lib.index()
    assert not second.cancelled and first.embedded + second.embedded == 80
    assert lib.status().indexed == 80
    lib.close()


def test_index_file_lost_is_rebuilt_from_catalog(isolated_home, photo_dir):
    lib = Library(model=TINY_MODEL)
    lib.add_folder(photo_dir)
    lib.index()
    lib.close()
    for f in (isolated_home / "index").iterdir():
        f.unlink()
    lib = Library(model=TINY_MODEL)
    copy = photo_dir / "img_07.jpg"
    hits = list(lib.search(build_query(images=[str(copy)]), k=20))[-1].hits
    assert len(hits) == 15
    lib.close()


def test_nested_and_forgotten_folders(library, photo_dir):
    library.add_folder(photo_dir / "sub")
    library.index()
    assert library.status().photos == 4
    library.add_folder(photo_dir)  # the parent absorbs the child: no duplicates
    summary = library.index()
    assert [f.path for f in library.folders()] == [photo_dir]
    assert summary.embedded == 12 and library.status().photos == 16
    assert library.add_folder(photo_dir / "sub").path == photo_dir
    library.forget_folder(photo_dir)
    assert library.status().photos == 0


def test_missing_folder_goes_offline_and_keeps_its_photos(library, photo_dir, tmp_path):
    library.add_folder(photo_dir)
    library.index()
    moved_away = tmp_path / "unplugged"
    os.rename(photo_dir, moved_away)
    library.index()
    folder = library.folders()[0]
    assert not folder.online and folder.photos == 16
    os.rename(moved_away, photo_dir)
    summary = library.index()
    assert library.folders()[0].online and summary.embedded == 0


def test_hidden_and_system_folders_are_skipped(library, photo_dir):
    make_photo(photo_dir / ".thumbnails" / "t.jpg", 1)
    make_photo(photo_dir / "@eaDir" / "x.jpg", 2)
    make_photo(photo_dir / "node_modules" / "y.png", 3)
    library.add_folder(photo_dir)
    assert library.index().added == 16


def test_data_folder_cannot_be_a_library_folder(library, isolated_home):
    from core.library import FolderError

    with pytest.raises(FolderError):
        library.add_folder(isolated_home)


def test_exif_metadata_is_recorded(library, tmp_path):
    from PIL import Image

    root = tmp_path / "exif"
    root.mkdir()
    img = Image.new("RGB", (80, 40), "red")
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0110] = "EOS 5D"
    exif[0x0112] = 6  # rotated: displayed as 40x80
    exif.get_ifd(0x8769)[0x9003] = "2021:07:04 12:30:00"
    img.save(root / "cam.jpg", exif=exif)
    library.add_folder(root)
    library.index()
    photo = library.search_by_name("cam")[0]
    assert (photo.width, photo.height) == (40, 80)
    assert photo.camera_make == "Canon" and photo.camera_model == "EOS 5D"
    assert photo.taken_at.startswith("2021-07-04 12:30")


def test_summary_rate_counts_embedding_time_only(library, photo_dir, monkeypatch):
    """A model that takes a while to load must not make the photos/s figure look slow."""
    import time

    import core.models.loading
    from core.records import IndexSummary

    real_load = core.models.loading.load_model

    def slow_load(*args, **kwargs):
        time.sleep(1.5)  # as a big model loading from disk
        return real_load(*args, **kwargs)

    monkeypatch.setattr(core.models.loading, "load_model", slow_load)
    library.add_folder(photo_dir)
    summary = library.index()
    assert summary.embedded == 16
    assert 0 < summary.embed_seconds <= summary.seconds - 1.5
    assert f"({16 / summary.embed_seconds:.1f} photos/s)" in summary.line()

    line = IndexSummary(10, 10, 0, 0, 0, 100, 0, seconds=50.0, embed_seconds=2.0).line()
    assert "100 embedded (50.0 photos/s)" in line and "in 50.0 s" in line


def test_upper_case_pretrained_tag_finds_the_vectors_of_its_standard_name(
    isolated_home, photo_dir
):
    import sqlite3

    from core.models.names import LEGACY_DEFAULT_MODEL as DEFAULT_MODEL

    lib = Library(model=TINY_MODEL)
    lib.add_folder(photo_dir)
    lib.index()
    lib.close()
    # As if these vectors had been made by the default model, stored under its standard name.
    db = sqlite3.connect(isolated_home / "catalog.db")
    with db:
        db.execute("UPDATE models SET name = ? WHERE name = ?", (DEFAULT_MODEL, TINY_MODEL))
    db.close()
    lib = Library(model="ViT-B-32:LAION2B_S34B_B79K")  # opened without loading any model
    try:
        status = lib.status()
        assert lib.model_name == status.model == DEFAULT_MODEL
        assert (status.indexed, status.pending) == (16, 0)
        assert [f.indexed for f in lib.folders()] == [16]
    finally:
        lib.close()


def _other_weights(source, target) -> None:
    """Weights of the same architecture, size and layout as ``source``, with other values."""
    import torch
    from safetensors.torch import load_file, save_file

    state = load_file(str(source))
    generator = torch.Generator().manual_seed(5)
    save_file(
        {k: v + 0.05 * torch.randn(v.shape, generator=generator) for k, v in state.items()},
        str(target),
    )


def test_other_weights_at_the_same_path_are_another_vector_space(
    isolated_home, photo_dir, tiny_weights_path, tmp_path
):
    weights = tmp_path / "mine.safetensors"
    shutil.copy(tiny_weights_path, weights)
    model = f"test-tiny:{weights}"
    lib = Library(model=model)
    lib.add_folder(photo_dir)
    assert lib.index().embedded == 16
    old_identity = lib.model_identity
    lib.close()

    # Replace the file: same size, even the same mtime (as `cp -p` or a restore would leave).
    before = weights.stat()
    _other_weights(tiny_weights_path, tmp_path / "new.safetensors")
    os.replace(tmp_path / "new.safetensors", weights)
    os.utime(weights, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert weights.stat().st_size == before.st_size

    lib = Library(model=model)
    try:
        assert lib.model_name == model  # what people see stays the plain name
        assert lib.model_identity != old_identity
        assert lib.model_identity.startswith("test-tiny:weights@")
        assert lib.status().indexed == 0, "the old vectors do not count for the new weights"
        assert lib.index().embedded == 16  # every photo embedded again, by the new weights
        assert lib.status().indexed == 16
        # The search index holds the new vectors only: one of them is this photo's, exactly.
        photo = photo_dir / "img_04.jpg"
        embedder = lib.embedder()
        from core.imaging.loading import load_photo

        image, _ = load_photo(photo, embedder.image_size)
        vector = embedder.embed_pil([image])[0]
        stored = lib._index.vectors(lib._index.live_ids())
        assert len(stored) == 16
        assert max(float(v @ vector) for v in stored.values()) == pytest.approx(1.0, abs=1e-4)
    finally:
        lib.close()


def test_weights_replaced_while_loading_are_not_trusted(
    isolated_home, tiny_weights_path, tmp_path, monkeypatch
):
    import core.models.loading
    from core.errors import ModelUnavailableError

    weights = tmp_path / "mine.safetensors"
    shutil.copy(tiny_weights_path, weights)
    real_load = core.models.loading.load_model

    def load_then_replace(*args, **kwargs):
        loaded = real_load(*args, **kwargs)
        _other_weights(tiny_weights_path, weights)  # another process swaps the file meanwhile
        return loaded

    monkeypatch.setattr(core.models.loading, "load_model", load_then_replace)
    lib = Library(model=f"test-tiny:{weights}")
    try:
        with pytest.raises(ModelUnavailableError, match="changed while it was loading"):
            lib.embedder()
        assert not lib.model_loaded
    finally:
        lib.close()
