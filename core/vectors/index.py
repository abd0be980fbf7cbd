"""A per-model hnswlib index: a derived cache of the catalog's vectors.

The catalog is the source of truth. This file can always be rebuilt from it, and ``sync`` makes the
two agree after any crash: labels (embedding ids) missing from the index are added, labels the
catalog no longer has are marked deleted. The file is saved atomically beside a sidecar that holds
its checksum, so a torn or damaged file (or sidecar) is detected before hnswlib ever reads it.

Beside the graph, every vector is kept in a dense int8 matrix (``DenseVectors``): the exact answer
scores all of them. New vectors wait in a small "fresh" buffer before they are inserted into the
graph; the fast answer scans that buffer too, so a photo is findable the moment its vector is
committed.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import hnswlib
import numpy as np

from core.fs.locks import locked
from core.vectors.dense import DenseVectors
from core.vectors.index_file import (
    SIDECAR_FORMAT,
    _file_digest,
    _read_sidecar,
    _save_error,
    _write_graph,
)

log = logging.getLogger(__name__)

M = 12  # graph degree: recall stays high for CLIP vectors and the file stays small
EF_CONSTRUCTION = 128
FLUSH_AT = 64  # fresh vectors enter the graph in small locked steps: queries never wait long
_INITIAL_CAPACITY = 1024


@dataclass(frozen=True)
class Neighbours:
    ids: np.ndarray  # int64 labels (embedding ids), best first
    scores: np.ndarray  # cosine similarity, float32


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def _top(ids: np.ndarray, scores: np.ndarray, k: int) -> Neighbours:
    top = min(k, len(ids))
    if top <= 0:
        return Neighbours(np.empty(0, np.int64), np.empty(0, np.float32))
    order = np.argpartition(-scores, top - 1)[:top]
    order = order[np.argsort(-scores[order], kind="stable")]
    return Neighbours(ids[order], scores[order].astype(np.float32))


class VectorIndex:
    """Thread-safe hnswlib wrapper: one lock guards the graph; queries hold it briefly."""

    def __init__(self, path: Path, model_name: str, dim: int, backups_dir: Path) -> None:
        self.path = path
        self.sidecar = path.with_suffix(".json")
        self.model_name = model_name
        self.dim = dim
        self._backups_dir = backups_dir
        self._lock = threading.RLock()
        self._deleted: set[int] = set()
        self._fresh_ids: list[int] = []
        self._fresh_vecs: list[np.ndarray] = []
        self._dense = DenseVectors(dim)  # every live vector: see _ensure_dense
        self._dense_ready = False
        self._dirty = False
        self.notice: str | None = None  # what recovery did, for the user
        self._lock_file = path.with_suffix(".lock")
        with locked(self._lock_file):
            self._remove_stale_temp_files()
            self._graph = self._load_or_create()

    # -- lifecycle ---------------------------------------------------------------------------

    def _new_graph(self, capacity: int = _INITIAL_CAPACITY) -> hnswlib.Index:
        graph = hnswlib.Index(space="cosine", dim=self.dim)
        # Deleted elements' slots are taken by new ones (see _insert): without that, every
        # photo ever removed or re-embedded would stay in the graph, and the file, for good.
        graph.init_index(capacity, M=M, ef_construction=EF_CONSTRUCTION, allow_replace_deleted=True)
        graph.set_ef(64)
        return graph

    def _load_or_create(self) -> hnswlib.Index:
        if not self.path.exists():
            return self._new_graph()
        problem = self._check_sidecar()
        if problem is None:
            try:
                graph = hnswlib.Index(space="cosine", dim=self.dim)
                graph.load_index(os.fsencode(self.path), allow_replace_deleted=True)
                graph.set_ef(64)
                self._deleted = set(_read_sidecar(self.sidecar)["deleted"])
                return graph
            except (RuntimeError, ValueError, OSError) as exc:
                problem = f"it could not be read ({exc})"
        kept = self._quarantine()
        self.notice = (
            f"The search index for {self.model_name} was rebuilt from the catalog "
            f"because {problem}."
            + (f" The old file was kept as {kept}." if kept else "")
        )
        log.warning(self.notice)
        self._dirty = True
        return self._new_graph()

    def _ensure_dense(self) -> None:
        """The dense matrix is filled by ``sync`` from the catalog (fast: already int8). Used
        before any sync, it is filled from the loaded graph instead (the graph keeps vectors
        unit-length, so quantising them again gives back the catalog's int8 form)."""
        if self._dense_ready:
            return
        self._dense_ready = True
        ids = sorted(self._graph_ids())
        for start in range(0, len(ids), 4096):
            chunk = ids[start : start + 4096]
            items = np.asarray(self._graph.get_items(chunk), dtype=np.float32)
            self._dense.add(chunk, items.reshape(len(chunk), self.dim))

    def _remove_stale_temp_files(self) -> None:
        """Temp files of a save that was killed; a live save finishes in well under 10 minutes."""
        for tmp in self.path.parent.glob(f"{self.path.stem}.*.tmp"):
            with contextlib.suppress(OSError):
                if time.time() - tmp.stat().st_mtime > 600:
                    tmp.unlink()

    def _check_sidecar(self) -> str | None:
        try:
            meta = _read_sidecar(self.sidecar)
        except (OSError, ValueError):
            return "its description file is missing or damaged"
        if meta.get("format") != SIDECAR_FORMAT or meta.get("dim") != self.dim:
            return "it was written in another format"
        if meta.get("model") != self.model_name:
            return "it belongs to another model"
        if meta.get("size") != self.path.stat().st_size or meta.get("digest") != _file_digest(
            self.path
        ):
            return "the file is damaged or incomplete"
        return None

    def _quarantine(self) -> Path | None:
        try:
            self._backups_dir.mkdir(parents=True, exist_ok=True)
            stamp = time.strftime("%Y%m%d-%H%M%S")
            target = self._backups_dir / f"{self.path.name}.damaged-{stamp}"
            shutil.move(str(self.path), target)
            return target
        except OSError:
            self.path.unlink(missing_ok=True)
            return None

    def save(self) -> None:
        """Write the graph to a temp file, then rename it over the old one, sidecar last. On
        failure (a full disk) the old file stays, temp files go, and IndexSaveError explains."""
        with self._lock:
            self._flush_all()
            if not self._dirty and self.path.exists():
                return
            # Per-process temp names: another PhotoSeek process may be saving too.
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            side_tmp = self.sidecar.with_name(f"{self.sidecar.name}.{os.getpid()}.tmp")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _write_graph(self._graph, tmp)
                with open(tmp, "rb+") as handle:
                    os.fsync(handle.fileno())
                meta = {
                    "format": SIDECAR_FORMAT, "model": self.model_name, "dim": self.dim,
                    "size": tmp.stat().st_size, "digest": _file_digest(tmp),
                    "deleted": sorted(self._deleted),
                }
                side_tmp.write_text(json.dumps(meta))
                with locked(self._lock_file):  # readers never see a file without its sidecar
                    os.replace(tmp, self.path)
                    os.replace(side_tmp, self.sidecar)
            except OSError as exc:
                for leftover in (tmp, side_tmp):
                    with contextlib.suppress(OSError):
                        leftover.unlink(missing_ok=True)
                raise _save_error(exc, self.path.parent) from exc
            self._dirty = False

    # -- contents ----------------------------------------------------------------------------

    def live_ids(self) -> set[int]:
        self._ensure_dense()
        return self._dense.labels()

    def __len__(self) -> int:
        """How many photos and videos it answers with (a video's frames count once)."""
        self._ensure_dense()
        return self._dense.item_count()

    @property
    def holds_frames(self) -> bool:
        """Whether some item has several vectors (a video's frames)."""
        self._ensure_dense()
        return len(self._dense) != self._dense.item_count()

    def _graph_ids(self) -> set[int]:
        with self._lock:
            return set(int(i) for i in self._graph.get_ids_list()) - self._deleted

    def sync(
        self,
        catalog_ids: Iterable[int],
        load_blobs: Callable[[list[int]], Iterator[tuple[int, bytes]]],
    ) -> tuple[int, int, list[int]]:
        """Make the index hold exactly ``catalog_ids``, reading the vectors it lacks as the
        catalog stores them. Returns (added, removed, damaged labels): a damaged vector is left
        out, for the caller to drop from the catalog and embed again."""
        wanted = set(catalog_ids)
        self._dense_ready = True  # filled here, from the catalog: never from the graph
        have = self._dense.labels()
        in_graph = self._graph_ids() | set(self._fresh_ids)
        extra = sorted((have | in_graph) - wanted)
        missing = sorted(wanted - have)
        self._remove_labels(extra)
        damaged: list[int] = []
        added = 0
        loaded = iter(load_blobs(missing))
        while batch := list(itertools.islice(loaded, 4096)):
            bad, stored = self._dense.add_blobs(batch)
            damaged += bad
            added += len(stored)
            new = [label for label in stored.tolist() if label not in in_graph]
            if new:
                vectors = self.vectors(new)
                self._insert(np.array(new), np.stack([vectors[label] for label in new]))
        if extra or missing:
            log.info("index %s synced: %d added, %d removed, %d damaged", self.path.name,
                     added, len(extra), len(damaged))
        return added, len(extra), damaged

    def add(self, ids: Iterable[int], vectors: np.ndarray) -> None:
        """Queue vectors; they are searchable (exactly) at once and enter the graph in steps."""
        vectors = _normalise(vectors)
        ids = [int(i) for i in ids]
        self._ensure_dense()
        self._dense.add(ids, vectors)
        with self._lock:
            for label, vector in zip(ids, vectors, strict=True):
                self._fresh_ids.append(int(label))
                self._fresh_vecs.append(vector)
            self._dirty = True
        while True:
            with self._lock:
                if len(self._fresh_ids) < FLUSH_AT:
                    return
                self._flush_some(FLUSH_AT)

    def remove(self, ids: Iterable[int]) -> None:
        """Remove these items: a photo's vector, or every frame of a video (its embedding id
        is the item label of its frames, see core.vectors.labels)."""
        ids = [int(i) for i in ids]
        if not ids:
            return
        self._ensure_dense()
        # The dense matrix holds every live vector, fresh ones included.
        frames = self._dense.labels_of_items(ids)
        self._remove_labels(sorted(set(ids).union(frames)))

    def _remove_labels(self, ids: list[int]) -> None:
        """Remove exactly these labels."""
        if not ids:
            return
        self._ensure_dense()
        self._dense.remove(ids)
        with self._lock:
            gone = set(ids)
            if self._fresh_ids:
                keep = [n for n, label in enumerate(self._fresh_ids) if label not in gone]
                self._fresh_ids = [self._fresh_ids[n] for n in keep]
                self._fresh_vecs = [self._fresh_vecs[n] for n in keep]
            in_graph = set(int(i) for i in self._graph.get_ids_list())
            for label in gone & in_graph - self._deleted:
                self._graph.mark_deleted(label)
                self._deleted.add(label)
            self._dirty = True

    def _insert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        labels, vectors = np.asarray(ids, dtype=np.int64), _normalise(vectors)
        with self._lock:
            # A label already in the graph (a deleted one coming back) is updated in place:
            # handed a reused slot, it would leave its old slot holding the same label.
            present = set(map(int, self._graph.get_ids_list())) if self._deleted else set()
            known = np.fromiter((int(i) in present for i in labels), bool, len(labels))
            for label in labels[known].tolist():
                if label in self._deleted:
                    self._graph.unmark_deleted(label)
                    self._deleted.discard(label)
            if known.any():
                self._graph.add_items(vectors[known], labels[known])
            if not known.all():  # new labels take deleted slots first (no slot: appended)
                extra = max(0, int((~known).sum()) - len(self._deleted))
                needed = self._graph.get_current_count() + extra
                if needed > self._graph.get_max_elements():
                    self._graph.resize_index(max(needed, 2 * self._graph.get_max_elements()))
                self._graph.add_items(vectors[~known], labels[~known], replace_deleted=True)
                if self._deleted:  # hnswlib chose the slots; their old labels left the graph
                    self._deleted &= set(map(int, self._graph.get_ids_list()))
            self._dirty = True

    def _flush_some(self, count: int) -> None:
        ids, vecs = np.array(self._fresh_ids[:count]), np.stack(self._fresh_vecs[:count])
        del self._fresh_ids[:count], self._fresh_vecs[:count]
        self._insert(ids, vecs)

    def _flush_all(self) -> None:
        while self._fresh_ids:
            self._flush_some(FLUSH_AT)

    # -- queries -----------------------------------------------------------------------------

    def ann(self, query: np.ndarray, k: int, ef: int | None = None) -> Neighbours:
        """The fast first answer: approximate neighbours from the graph, plus the fresh buffer."""
        query = _normalise(query).ravel()
        with self._lock:
            graph_hits = self._graph_query(query, k, ef)
            fresh_ids = np.array(self._fresh_ids, dtype=np.int64)
            fresh_vecs = np.stack(self._fresh_vecs) if self._fresh_vecs else None
        if fresh_vecs is None:
            return graph_hits
        ids = np.concatenate([graph_hits.ids, fresh_ids])
        scores = np.concatenate([graph_hits.scores, fresh_vecs @ query])
        return _top(ids, scores, k)

    def _graph_query(self, query: np.ndarray, k: int, ef: int | None) -> Neighbours:
        k = min(k, self._graph.get_current_count() - len(self._deleted))
        if k <= 0:
            return Neighbours(np.empty(0, np.int64), np.empty(0, np.float32))
        self._graph.set_ef(max(ef or 0, k, 64))
        try:
            labels, distances = self._graph.knn_query(query, k=k)
        except RuntimeError:
            # hnswlib cannot always fill k slots when many labels are deleted: ask for fewer.
            labels, distances = self._graph.knn_query(query, k=max(1, k // 2))
        return Neighbours(labels[0].astype(np.int64), (1.0 - distances[0]).astype(np.float32))

    def exact(self, query: np.ndarray, k: int) -> Neighbours:
        """The exact answer: every vector scored (a blocked product over the dense matrix)."""
        self._ensure_dense()
        labels, scores = self._dense.scores(_normalise(query).ravel())
        return _top(labels, scores, k)

    def all_scores(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(labels, cosine scores) of every vector: what a cut-off and a filter work from."""
        self._ensure_dense()
        return self._dense.scores(_normalise(query).ravel())

    def scores_of(self, query: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(labels, cosine scores) of these labels only (see DenseVectors.scores_of)."""
        self._ensure_dense()
        return self._dense.scores_of(_normalise(query).ravel(), np.asarray(labels, np.int64))

    def sample_scores(self, query: np.ndarray, size: int) -> np.ndarray:
        """Scores of an even sample of the vectors (see DenseVectors.sample_scores)."""
        self._ensure_dense()
        return self._dense.sample_scores(_normalise(query).ravel(), size)

    def neighbours_of(self, labels: Sequence[int], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Each stored vector's ``k`` nearest stored vectors (itself among them), from the
        graph in one batch query across hnswlib's threads: (labels, cosine scores), each
        (len(labels), k) and best first; a row with fewer (or an unknown label) is padded with
        -1 and -inf. Every photo's neighbours, batch by batch: what duplicates are looked for
        with (at 100,000 photos about a tenth of the time of scoring every pair exactly, see
        benchmarks/bench_duplicates.py)."""
        self._ensure_dense()
        vectors = [self._dense.vector(int(label)) for label in labels]
        found = np.array([v is not None for v in vectors], bool)
        ids = np.full((len(labels), k), -1, np.int64)
        scores = np.full((len(labels), k), -np.inf, np.float32)
        if not found.any():
            return ids, scores
        rows = np.stack([v for v in vectors if v is not None])
        with self._lock:
            self._flush_all()  # fresh vectors join the graph first: every label is answered
            count = min(k, self._graph.get_current_count() - len(self._deleted))
            if count <= 0:
                return ids, scores
            self._graph.set_ef(max(count, 64))
            try:
                found_ids, distances = self._graph.knn_query(_normalise(rows), k=count)
            except RuntimeError:  # too many deleted labels to fill every slot: ask for fewer
                count = max(1, count // 2)
                found_ids, distances = self._graph.knn_query(_normalise(rows), k=count)
        ids[found, :count] = found_ids.astype(np.int64)
        scores[found, :count] = 1.0 - distances
        return ids, scores

    def vectors(self, ids: Iterable[int]) -> dict[int, np.ndarray]:
        """Stored (unit) vectors by label, as the catalog stores them."""
        self._ensure_dense()
        found: dict[int, np.ndarray] = {}
        for label in ids:
            vector = self._dense.vector(int(label))
            if vector is not None:
                found[int(label)] = vector
        return found
