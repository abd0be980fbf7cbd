"""Every vector of a model in one dense int8 matrix: the exact answer to a query.

The graph (hnswlib) answers fast but approximately. The exact answer scores every vector: a
matrix-vector product over the library, done in blocks small enough to stay in the CPU's cache
(100,000 photos take about 15 ms on two cores; ``benchmarks/bench_query.py`` measures it). Rows
are the catalog's own int8 form (see ``core.vectors.codec``), a quarter of float32's memory, and
scores are computed from exactly what the catalog stores.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np

from core.vectors import codec
from core.vectors.labels import item_of, items_of

_BLOCK = 256  # rows converted to float32 at a time: 512 KB for 512-d vectors, cache-sized
_INITIAL_ROWS = 1024


class DenseVectors:
    """Thread-safe: one lock guards the rows; a query holds it while it scores."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._lock = threading.Lock()
        self._rows = np.zeros((_INITIAL_ROWS, dim), np.int8)
        # 1 / the length of each int8 row: a cosine needs the row's direction only, so the
        # catalog's per-vector scale cancels out.
        self._factors = np.zeros(_INITIAL_ROWS, np.float32)
        self._labels = np.zeros(_INITIAL_ROWS, np.int64)
        # Each row's item (core.vectors.labels): a video's frames share their video's.
        self._items = np.zeros(_INITIAL_ROWS, np.int64)
        self._rows_of_item: dict[int, int] = {}  # item -> how many rows it has
        self._row_of: dict[int, int] = {}
        self._buffer = np.empty((_BLOCK, dim), np.float32)

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, label: object) -> bool:
        return label in self._row_of

    def labels(self) -> set[int]:
        with self._lock:
            return set(self._row_of)

    def item_count(self) -> int:
        """How many photos and videos the rows stand for (a video has a row per frame)."""
        with self._lock:
            return len(self._rows_of_item)

    def labels_of_items(self, items: Iterable[int]) -> list[int]:
        """Every label whose item is one of ``items`` (a video's frames, a photo's own)."""
        wanted = np.fromiter((int(i) for i in items), np.int64)
        with self._lock:
            count = len(self._row_of)
            if count == 0 or len(wanted) == 0:
                return []
            hits = np.isin(self._items[:count], wanted)
            return self._labels[:count][hits].tolist()

    def _count_item(self, item: int, change: int) -> None:
        left = self._rows_of_item.get(item, 0) + change
        if left > 0:
            self._rows_of_item[item] = left
        else:
            self._rows_of_item.pop(item, None)

    def add_blobs(self, items: Iterable[tuple[int, bytes]]) -> tuple[list[int], np.ndarray]:
        """Add vectors as the catalog stores them (scale + int8), checked, without converting
        them one by one. Returns (labels of damaged vectors, left out; the labels added)."""
        items = list(items)
        width = codec.SCALE_BYTES + self.dim
        sized = [(int(label), blob) for label, blob in items if len(blob) == width]
        damaged = [int(label) for label, blob in items if len(blob) != width]
        if not sized:
            return damaged, np.empty(0, np.int64)
        raw = np.frombuffer(b"".join(blob for _, blob in sized), np.uint8).reshape(-1, width)
        scales = raw[:, : codec.SCALE_BYTES].copy().view(np.float32).ravel()
        rows = raw[:, codec.SCALE_BYTES :].view(np.int8)
        usable = np.isfinite(scales) & (scales > 0) & rows.any(axis=1)
        labels = np.array([label for label, _ in sized], np.int64)
        damaged += labels[~usable].tolist()
        with self._lock:
            self._put_many(labels[usable], rows[usable])
        return damaged, labels[usable]

    def _put_many(self, labels: np.ndarray, rows: np.ndarray) -> None:
        fresh = np.array([int(label) not in self._row_of for label in labels], bool)
        for label, row in zip(labels[~fresh], rows[~fresh], strict=True):
            self._put(int(label), row)  # a label coming back: its row is overwritten
        count, start = int(fresh.sum()), len(self._row_of)
        while start + count > len(self._labels):
            self._grow()
        block = slice(start, start + count)
        self._rows[block] = rows[fresh]
        norms = np.linalg.norm(rows[fresh].astype(np.float32), axis=1)
        self._factors[block] = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        self._labels[block] = labels[fresh]
        self._items[block] = items_of(labels[fresh])
        for item in self._items[block].tolist():
            self._count_item(item, 1)
        self._row_of.update(zip(labels[fresh].tolist(), range(start, start + count), strict=True))

    def add(self, labels: Iterable[int], vectors: np.ndarray) -> None:
        """Add float vectors, quantised exactly as the catalog stores them."""
        with self._lock:
            for label, vector in zip(labels, np.asarray(vectors, np.float32), strict=True):
                _scale, quantised = codec.quantise(vector)
                self._put(int(label), quantised)

    def _put(self, label: int, quantised: np.ndarray) -> None:
        row = self._row_of.get(label)
        if row is None:
            row = len(self._row_of)
            if row == len(self._labels):
                self._grow()
            self._row_of[label] = row
            self._items[row] = item_of(label)
            self._count_item(item_of(label), 1)
        self._rows[row] = quantised
        norm = float(np.linalg.norm(quantised.astype(np.float32)))
        self._factors[row] = 1.0 / norm if norm else 0.0
        self._labels[row] = label

    def _grow(self) -> None:
        size = 2 * len(self._labels)
        rows = np.zeros((size, self.dim), np.int8)
        rows[: len(self._rows)] = self._rows
        factors = np.zeros(size, np.float32)
        factors[: len(self._factors)] = self._factors
        labels = np.zeros(size, np.int64)
        labels[: len(self._labels)] = self._labels
        items = np.zeros(size, np.int64)
        items[: len(self._items)] = self._items
        self._rows, self._factors, self._labels, self._items = rows, factors, labels, items

    def remove(self, labels: Iterable[int]) -> None:
        """Drop vectors; the last row moves into each hole, so rows stay contiguous."""
        with self._lock:
            for label in labels:
                row = self._row_of.pop(int(label), None)
                if row is None:
                    continue
                self._count_item(int(self._items[row]), -1)
                last = len(self._row_of)
                if row != last:
                    moved = int(self._labels[last])
                    self._rows[row] = self._rows[last]
                    self._factors[row] = self._factors[last]
                    self._labels[row] = moved
                    self._items[row] = self._items[last]
                    self._row_of[moved] = row

    def scores(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(labels, cosine scores) of every vector against the unit ``query``."""
        query = np.asarray(query, np.float32).ravel()
        with self._lock:
            count = len(self._row_of)
            out = np.empty(count, np.float32)
            buffer = self._buffer
            for start in range(0, count, _BLOCK):
                block = self._rows[start : min(count, start + _BLOCK)]
                rows = len(block)
                np.copyto(buffer[:rows], block, casting="unsafe")
                np.matmul(buffer[:rows], query, out=out[start : start + rows])
            out *= self._factors[:count]
            return self._labels[:count].copy(), out

    def scores_of(self, query: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(labels, cosine scores) of the rows of these items only (a photo's row, a video's
        frames; those present): a filter keeping a few photos scores a few rows."""
        query = np.asarray(query, np.float32).ravel()
        with self._lock:
            count = len(self._row_of)
            if count == 0 or len(labels) == 0:
                return np.empty(0, np.int64), np.empty(0, np.float32)
            wanted = items_of(labels)
            wanted = wanted[wanted >= 0]
            if len(wanted) == 0:
                return np.empty(0, np.int64), np.empty(0, np.float32)
            known = self._items[:count]
            table = np.zeros(int(max(known.max(), wanted.max())) + 1, bool)
            table[wanted] = True
            rows = np.flatnonzero(table[known])
            scores = np.empty(len(rows), np.float32)
            for start in range(0, len(rows), _BLOCK):
                chunk = rows[start : start + _BLOCK]
                block = self._rows[chunk].astype(np.float32)
                scores[start : start + len(chunk)] = (block @ query) * self._factors[chunk]
            return self._labels[rows].copy(), scores

    def sample_scores(self, query: np.ndarray, size: int) -> np.ndarray:
        """Cosine scores of about ``size`` evenly spaced rows: where a query's bulk of scores
        lies, for a fraction of the cost of scoring every row."""
        query = np.asarray(query, np.float32).ravel()
        with self._lock:
            count = len(self._row_of)
            step = max(1, count // max(1, size))
            picked = np.arange(0, count, step)
            scores = np.empty(len(picked), np.float32)
            for start in range(0, len(picked), _BLOCK):  # cache-sized float32 blocks
                chunk = picked[start : start + _BLOCK]
                block = self._rows[chunk].astype(np.float32)
                scores[start : start + len(chunk)] = (block @ query) * self._factors[chunk]
            return scores

    def vector(self, label: int) -> np.ndarray | None:
        """The stored vector (unit length) of ``label``, if present."""
        with self._lock:
            row = self._row_of.get(int(label))
            if row is None:
                return None
            return self._rows[row].astype(np.float32) * self._factors[row]
