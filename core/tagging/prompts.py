"""Tag vectors: each tag's prompts embedded by the model and averaged, cached on disk.

A tag's vector is the normalised mean of its prompts' normalised text vectors (CLIP's zero-shot
ensembling: averaging "a photo of a dog.", "a blurry photo of a dog.", ... cancels what each
phrasing adds of its own and keeps what they share, the dog).

The built-in vocabulary has about 3,500 prompts: a minute of text tower on a two-core laptop.
Vectors are therefore kept in the data folder, one file per model identity, each row keyed by
the tag's prompts (not its name), so a later run, a restart, or a changed vocabulary encodes
only the prompts it has not seen; a person's own tags are kept the same way. A damaged or
unreadable file is computed again, never trusted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from core.tagging.vocabulary import Category

log = logging.getLogger(__name__)

# Turns texts into (N, dim) unit vectors: the model's ``Embedder.embed_texts``.
EmbedTexts = Callable[[Sequence[str]], np.ndarray]

BATCH = 128  # prompts per text-tower pass: bounded memory
# Tags computed between two looks at ``cancel`` (80-odd prompts: a few seconds of ViT-B/32's
# text tower on a laptop). What is done is kept: the indexing service cancels the job whenever
# photos arrive, and a cold vocabulary (a minute or more) must still get done across rounds.
CHUNK = 8
SAVE_EVERY = 8  # chunks between two writes of the file
_FORMAT = 1  # bump when the file's layout changes


def ensemble(vectors: np.ndarray) -> np.ndarray:
    """The unit mean direction of unit rows: (templates, dim) -> (dim,)."""
    rows = np.asarray(vectors, np.float64)
    rows = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    mean = rows.mean(axis=0)
    return (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)


def prompt_key(category: Category) -> str:
    """What a tag vector depends on: its prompts, in order."""
    joined = "\x1f".join(category.prompts()).encode()
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


def embed_categories(
    categories: Sequence[Category], embed: EmbedTexts, cancel: threading.Event | None = None
) -> np.ndarray | None:
    """(K, dim) tag vectors, computed (no cache); None if cancelled midway."""
    prompts = sorted({p for c in categories for p in c.prompts()}, key=len)
    vectors: dict[str, np.ndarray] = {}
    # Sorted by length: the text tower runs each batch to its longest prompt (see
    # core.models.text_encoding), so similar lengths together waste the least.
    for start in range(0, len(prompts), BATCH):
        if cancel is not None and cancel.is_set():
            return None
        chunk = prompts[start : start + BATCH]
        vectors.update(zip(chunk, np.asarray(embed(chunk), np.float32), strict=True))
    if not categories:
        return np.zeros((0, 0), np.float32)
    return np.stack([ensemble(np.stack([vectors[p] for p in c.prompts()])) for c in categories])


class PromptCache:
    """Tag vectors of one model, in ``folder``; thread-safe."""

    def __init__(self, folder: Path, identity: str) -> None:
        digest = hashlib.blake2b(identity.encode(), digest_size=10).hexdigest()
        self.path = folder / f"tag-vectors-{digest}.npz"
        self.identity = identity
        self._lock = threading.Lock()
        self._rows: dict[str, np.ndarray] | None = None

    def vectors(
        self,
        categories: Sequence[Category],
        embed: EmbedTexts,
        cancel: threading.Event | None = None,
    ) -> np.ndarray | None:
        """(K, dim) vectors of ``categories``, in order; the missing ones are computed and
        saved. None if cancelled while computing."""
        with self._lock:
            rows = self._load()
            keys = [prompt_key(c) for c in categories]
            missing = [c for c, k in zip(categories, keys, strict=True) if k not in rows]
            for number, start in enumerate(range(0, len(missing), CHUNK)):
                if cancel is not None and cancel.is_set():
                    self._save(rows)  # what is done is kept for the next run
                    return None
                part = missing[start : start + CHUNK]
                computed = embed_categories(part, embed)
                assert computed is not None  # not cancellable without an event
                rows.update(zip((prompt_key(c) for c in part), computed, strict=True))
                if number % SAVE_EVERY == SAVE_EVERY - 1:
                    self._save(rows)
            if missing:
                self._save(rows)
            if not keys:
                return np.zeros((0, 0), np.float32)
            return np.stack([rows[k] for k in keys])

    def _load(self) -> dict[str, np.ndarray]:
        if self._rows is not None:
            return self._rows
        self._rows = {}
        try:
            with np.load(self.path, allow_pickle=False) as data:
                if (int(data["format"]) == _FORMAT and str(data["identity"]) == self.identity
                        and np.isfinite(data["vectors"]).all()):
                    keys, vectors = data["keys"], data["vectors"].astype(np.float32)
                    self._rows = dict(zip(keys.tolist(), vectors, strict=True))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError) as exc:  # damaged: computed again
            log.warning("tag vectors %s not read (%s); computing them again", self.path, exc)
        return self._rows

    def _save(self, rows: dict[str, np.ndarray]) -> None:
        """Atomically: a crash leaves the old file or the new one, never half of one."""
        keys = sorted(rows)
        if not keys:  # cancelled before the first prompt was encoded: nothing to keep
            return
        temp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as handle:
                np.savez(
                    handle, format=np.int64(_FORMAT), identity=np.str_(self.identity),
                    keys=np.array(keys, dtype=np.str_),
                    vectors=np.stack([rows[k] for k in keys]).astype(np.float32),
                )
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except OSError as exc:  # a full disk: the vectors serve this run, and are made again
            log.warning("tag vectors not saved to %s: %s", self.path, exc)
            temp.unlink(missing_ok=True)


_caches: dict[tuple[Path, str], PromptCache] = {}
_caches_lock = threading.Lock()


def prompt_cache(folder: Path, identity: str) -> PromptCache:
    """The one cache of this model's tag vectors in ``folder`` for this process: what it read
    from disk stays in memory for the next run."""
    with _caches_lock:
        found = _caches.get((folder, identity))
        if found is None:
            found = _caches[(folder, identity)] = PromptCache(folder, identity)
        return found
