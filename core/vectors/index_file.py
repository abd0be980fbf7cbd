"""The index file on disk: saving hnswlib's graph so that a failed write is noticed (hnswlib
does not say), the checksum that proves a file whole, and the sidecar that describes it."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import struct
from pathlib import Path

import hnswlib

from core.errors import CatalogError
from core.fs.safe_open import read_regular_bytes

SIDECAR_FORMAT = 1


class IndexSaveError(CatalogError, OSError):
    """The search index could not be written (disk full, read-only, no permission). Also an
    OSError, so callers that take a failed save as "go on, the catalog has every vector" still
    do; the message is for a person."""


# The header hnswlib (0.8) writes before the graph: six size_t, an int, a uint32, three size_t,
# a double, a size_t (64-bit builds, no padding). Read to check that a saved file is whole.
_HNSW_HEADER = struct.Struct("=QQQQQQiIQQQdQ")
_U32 = struct.Struct("=I")


def _hnsw_file_is_whole(path: Path) -> bool:
    """True when the file holds all that its header promises (the check hnswlib makes when it
    loads). hnswlib writes through an unchecked std::ofstream: on a full disk the file simply
    stops short and no error is raised, so this is how a failed write shows."""
    with open(path, "rb") as handle:
        head = handle.read(_HNSW_HEADER.size)
        if len(head) < _HNSW_HEADER.size:
            return False
        count, per_element = _HNSW_HEADER.unpack(head)[2:4]
        handle.seek(_HNSW_HEADER.size + count * per_element)
        links = handle.read()  # per element: a uint32 length, then that many bytes
    offset = 0
    for _ in range(count):
        if offset + _U32.size > len(links):
            return False
        offset += _U32.size + _U32.unpack_from(links, offset)[0]
    return offset == len(links)


def _write_graph(graph: hnswlib.Index, path: Path) -> None:
    """hnswlib's save, with the errors it swallows turned into an OSError."""
    graph.save_index(os.fsencode(path))  # bytes: a folder name need not be valid UTF-8
    if not _hnsw_file_is_whole(path):
        code = errno.ENOSPC if shutil.disk_usage(path.parent).free < (1 << 20) else errno.EIO
        raise OSError(code, os.strerror(code), str(path))


def _save_error(exc: OSError, folder: Path) -> IndexSaveError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        problem = f"The disk holding the PhotoSeek library ({folder}) is full; free some space"
    else:
        problem = f"The search index could not be saved in {folder} ({exc.strerror or exc}); fix it"
    error = IndexSaveError(f"{problem}, then try again. The catalog keeps every photo.")
    error.errno = exc.errno
    return error


def _file_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_sidecar(path: Path) -> dict:
    """The sidecar's contents; ValueError when it is not the object a save writes (``[]`` and
    ``null`` are valid JSON, and not a sidecar)."""
    meta = json.loads(read_regular_bytes(path, 64 << 20).decode("utf-8"))
    if not isinstance(meta, dict) or not isinstance(meta.get("deleted", []), list):
        raise ValueError("not a sidecar")
    meta.setdefault("deleted", [])
    return meta
