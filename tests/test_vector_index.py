"""The hnswlib cache: exactness, persistence, recovery from damage and from a lagging catalog."""

from __future__ import annotations

import os

import numpy as np
import pytest

from core.vectors import codec
from core.vectors.index import FLUSH_AT, VectorIndex


def _vectors(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _index(tmp_path, dim: int = 32) -> VectorIndex:
    return VectorIndex(tmp_path / "idx" / "m.hnsw", "m", dim, tmp_path / "backups")


def _brute(vectors: np.ndarray, q: np.ndarray, k: int) -> list[int]:
    return list(np.argsort(-(vectors @ q), kind="stable")[:k])


def _stored(vectors: np.ndarray) -> np.ndarray:
    """The vectors as the catalog keeps them (int8 with a scale), unit length again."""
    return codec.decode_many([codec.encode(v) for v in vectors], vectors.shape[1])


def _blobs(vectors: np.ndarray, offset: int = 0):
    """A sync loader: the catalog's stored form of ``vectors[label + offset]``."""
    return lambda ids: ((i, codec.encode(vectors[i + offset])) for i in ids)


def test_exact_search_matches_brute_force(tmp_path):
    vecs = _vectors(2000)
    index = _index(tmp_path)
    index.add(range(2000), vecs)
    q = _vectors(1, seed=9)[0]
    found = index.exact(q, 10)
    assert list(found.ids) == _brute(_stored(vecs), q, 10)
    # Scores are exact cosines of the stored (int8) vectors, within 2e-3 of float32's.
    assert np.allclose(found.scores, np.sort(_stored(vecs) @ q)[::-1][:10], atol=1e-5)
    assert np.allclose(found.scores, np.sort(vecs @ q)[::-1][:10], atol=2e-3)


def test_fresh_vectors_are_searchable_before_entering_the_graph(tmp_path):
    index = _index(tmp_path)
    vecs = _vectors(FLUSH_AT - 1)
    index.add(range(len(vecs)), vecs)
    assert len(index) == len(vecs)
    found = index.exact(vecs[5], 1)
    assert found.ids[0] == 5 and found.scores[0] == pytest.approx(1.0, abs=1e-5)


def test_k_larger_than_library_returns_everything(tmp_path):
    index = _index(tmp_path)
    index.add(range(300), _vectors(300))
    assert sorted(index.exact(_vectors(1, seed=3)[0], 10_000).ids) == list(range(300))
    assert len(index.ann(_vectors(1, seed=3)[0], 10_000).ids) == 300


def test_removed_labels_never_come_back(tmp_path):
    vecs = _vectors(500)
    index = _index(tmp_path)
    index.add(range(500), vecs)
    index.remove([7, 8, 9])
    for q in (vecs[7], vecs[8]):
        assert not {7, 8, 9} & set(index.exact(q, 50).ids)
        assert not {7, 8, 9} & set(index.ann(q, 50).ids)
    assert len(index) == 497


def test_save_and_reload_round_trip(tmp_path):
    vecs = _vectors(700)
    index = _index(tmp_path)
    index.add(range(700), vecs)
    index.remove([3])
    index.save()
    again = _index(tmp_path)
    assert again.notice is None
    assert again.live_ids() == set(range(700)) - {3}
    assert list(again.exact(vecs[10], 3).ids) == list(index.exact(vecs[10], 3).ids)


def test_damaged_file_is_kept_aside_and_rebuilt_by_sync(tmp_path):
    vecs = _vectors(400)
    index = _index(tmp_path)
    index.add(range(400), vecs)
    index.save()
    with open(index.path, "r+b") as handle:  # flip bytes in the middle of the graph
        handle.seek(index.path.stat().st_size // 2)
        handle.write(b"\xff" * 64)
    again = _index(tmp_path)
    assert again.notice and "rebuilt" in again.notice
    assert list((tmp_path / "backups").iterdir()), "the damaged file is kept"
    assert len(again) == 0
    added, removed, damaged = again.sync(range(400), _blobs(vecs))
    assert (added, removed) == (400, 0)
    assert again.exact(vecs[42], 1).ids[0] == 42


def test_sync_reconciles_both_directions(tmp_path):
    vecs = _vectors(300)
    index = _index(tmp_path)
    index.add(range(200), vecs[:200])  # the index lags: 200..299 missing; 0..9 no longer wanted
    added, removed, damaged = index.sync(range(10, 300), _blobs(vecs))
    assert (added, removed) == (100, 10)
    assert index.live_ids() == set(range(10, 300))


def test_torn_save_is_detected(tmp_path):
    vecs = _vectors(100)
    index = _index(tmp_path)
    index.add(range(100), vecs)
    index.save()
    index.path.write_bytes(index.path.read_bytes()[:1000])  # as if the rename raced a crash
    again = _index(tmp_path)
    assert again.notice is not None and len(again) == 0


def test_other_model_file_is_not_used(tmp_path):
    index = _index(tmp_path)
    index.add(range(10), _vectors(10))
    index.save()
    other = VectorIndex(index.path, "other-model", 32, tmp_path / "backups")
    assert other.notice is not None and len(other) == 0


def test_deleted_slots_are_reused_so_the_graph_stays_bounded(tmp_path):
    """Photos removed and re-embedded over years must not pile up in the graph and its file."""
    rng = np.random.default_rng(1)
    live: dict[int, np.ndarray] = {}
    index = _index(tmp_path)
    next_label = 0

    def add(count: int) -> None:
        nonlocal next_label
        vecs = _vectors(count, seed=int(rng.integers(1 << 30)))
        labels = list(range(next_label, next_label + count))
        next_label += count
        index.add(labels, vecs)
        live.update(zip(labels, vecs, strict=True))

    add(1000)
    index.save()
    for round_ in range(12):
        gone = sorted(rng.choice(sorted(live), size=400, replace=False).tolist())
        index.remove(gone)
        for label in gone:
            del live[label]
        add(400)
        if round_ == 5:  # reuse goes on after a reload
            index.save()
            index = _index(tmp_path)
            assert index.notice is None
    index.save()

    assert index.live_ids() == set(live) and len(index) == 1000
    assert index._graph.get_current_count() <= 1000 + FLUSH_AT
    assert index._graph.get_max_elements() <= 2048
    assert len(index._deleted) <= FLUSH_AT
    labels = np.array(sorted(live))
    matrix = np.stack([live[i] for i in labels])
    for q in _vectors(5, seed=77):
        found = index.exact(q, 10)
        assert list(found.ids) == list(labels[_brute(_stored(matrix), q, 10)])
        ann = index.ann(q, 50).ids
        assert len(set(ann.tolist())) == len(ann) and set(ann.tolist()) <= set(live)


def test_a_deleted_label_added_again_is_not_duplicated(tmp_path):
    vecs = _vectors(300)
    index = _index(tmp_path)
    index.add(range(200), vecs[:200])
    index.remove(range(50))
    # Labels 0 and 1 come back (a catalog restored from a backup), now with other vectors.
    # (labels 50..199 are still there: only 0 and 1 are read, from vecs[280] and vecs[281])
    index.sync(list(range(50, 200)) + [0, 1], _blobs(vecs, offset=280))
    index.add(range(200, 260), vecs[200:260])  # new labels take deleted slots
    index.save()
    assert index.live_ids() == {0, 1} | set(range(50, 260))
    everything = index.exact(vecs[0], 10_000).ids.tolist()
    assert sorted(everything) == sorted(index.live_ids()), "each label once"
    assert index.exact(vecs[280], 1).ids[0] == 0
    assert float(index.vectors([0])[0] @ vecs[280]) == pytest.approx(1.0, abs=1e-3)


# ------------------------------------------------------------------ a full disk


def _leftovers(index: VectorIndex) -> list[str]:
    return sorted(p.name for p in index.path.parent.iterdir() if p.name.endswith(".tmp"))


def test_a_full_disk_while_saving_keeps_the_old_file(tmp_path, monkeypatch):
    import errno

    import core.vectors.index
    from core.errors import CatalogError
    from core.vectors.index_file import IndexSaveError

    vecs = _vectors(600)
    index = _index(tmp_path)
    index.add(range(300), vecs[:300])
    index.save()
    saved = index.path.read_bytes(), index.sidecar.read_bytes()
    index.add(range(300, 600), vecs[300:])

    real_write = core.vectors.index._write_graph

    def write_then_fill_up(graph, path):
        real_write(graph, path)  # part of the file is on disk when the space runs out
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(core.vectors.index, "_write_graph", write_then_fill_up)
    with pytest.raises(IndexSaveError) as raised:
        index.save()
    assert "The disk holding the PhotoSeek library" in str(raised.value)
    assert "is full; free some space" in str(raised.value)
    assert isinstance(raised.value, CatalogError) and raised.value.errno == errno.ENOSPC
    assert (index.path.read_bytes(), index.sidecar.read_bytes()) == saved
    assert _leftovers(index) == []
    assert _index(tmp_path).live_ids() == set(range(300))  # the old file still loads

    monkeypatch.setattr(core.vectors.index, "_write_graph", real_write)  # space freed
    index.save()
    again = _index(tmp_path)
    assert again.notice is None and again.live_ids() == set(range(600))


def test_other_write_errors_are_readable(tmp_path, monkeypatch):
    import errno

    import core.vectors.index
    from core.vectors.index_file import IndexSaveError

    def refuse(graph, path):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    index = _index(tmp_path)
    index.add(range(10), _vectors(10))
    monkeypatch.setattr(core.vectors.index, "_write_graph", refuse)
    with pytest.raises(IndexSaveError, match="could not be saved in .*Permission denied"):
        index.save()


def test_a_short_graph_file_is_recognised(tmp_path):
    """hnswlib writes without checking for errors: a full disk leaves a short file, silently."""
    from core.vectors.index_file import _hnsw_file_is_whole

    index = _index(tmp_path)
    index.add(range(3000), _vectors(3000))
    index.remove(range(0, 3000, 7))
    index.save()
    whole = index.path.read_bytes()
    assert _hnsw_file_is_whole(index.path)
    short = tmp_path / "short.hnsw"
    for cut in (10, 96, len(whole) // 3, len(whole) - 100, len(whole) - 1):
        short.write_bytes(whole[:cut])
        assert not _hnsw_file_is_whole(short), cut


def test_a_real_full_disk_while_saving(tmp_path):
    """On a tiny tmpfs (needs the right to mount one; skipped otherwise)."""
    from core.vectors.index_file import IndexSaveError
    from tests.test_faults import _small_disk

    with _small_disk(tmp_path / "idx", 1):
        index = _index(tmp_path)
        index.add(range(100), _vectors(100))
        index.save()
        saved = index.path.read_bytes()
        index.add(range(100, 6000), _vectors(5900, seed=4))  # about 1.4 MB: more than fits
        with pytest.raises(IndexSaveError, match="is full; free some space"):
            index.save()
        assert index.path.read_bytes() == saved and _leftovers(index) == []
        assert _index(tmp_path).live_ids() == set(range(100))
