"""Bring the catalog in line with what is on disk (mark and sweep, with move detection).

Unchanged files (same size and mtime) are skipped. Changed files go back to pending and lose their
vector. A file that appeared while another with the same cheap content hash disappeared is a move
or a rename: its row (and so its vector) follows it, without decoding. Whatever is left missing is
removed. A library folder that is not there at all (an unplugged drive), that cannot be listed,
or that is suddenly empty although photos were known in it (an unmounted share's mount point) is
marked offline and keeps its photos. So do the photos under a subfolder that cannot be read (an
unreadable folder is not a deleted one) and under a subfolder that a drive was mounted on, once it
is unmounted. Pictures PhotoSeek does not read and what could not be read are recorded with
their reasons, never skipped in silence. A RAW beside its JPEG and a Live Photo's MOV beside its
still are recorded as kept with that photo (core.indexing.companions), not as photos.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.catalog import companions as companion_records
from core.catalog import queries, scan_records
from core.catalog.database import Catalog
from core.imaging.loading import is_supported, not_read_reason
from core.imaging.reasons import TRANSIENT_PREFIX, TRANSIENT_REASONS
from core.indexing.companions import companion_of, same_shot
from core.indexing.scanner import FoundFile, WalkReport, content_hash, walk_photos
from core.vectors.index import VectorIndex

log = logging.getLogger(__name__)

_WRITE_CHUNK = 1000


@dataclass
class ReconcileCounts:
    scanned: int = 0
    added: int = 0
    changed: int = 0
    moved: int = 0
    removed: int = 0
    retried: int = 0
    offline: list[Path] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)
    unread_files: int = 0  # files and folders not read (RAW, video, unreadable), with reasons
    companions: int = 0  # RAW files and Live Photo videos kept with their photos
    cancelled: bool = False


@dataclass
class _Missing:
    photo_id: int
    folder_id: int
    rel: str
    content_hash: bytes | None


def _hash_or_none(path: Path, size: int) -> bytes | None:
    try:
        return content_hash(path, size)
    except OSError:
        return None  # vanished or unreadable: the embed step records the reason


def reconcile(
    catalog: Catalog,
    index: VectorIndex | None,
    folders: list[tuple[int, Path]],
    cancel: threading.Event | None = None,
    subpaths: dict[int, list[str]] | None = None,
    excluded: Sequence[Path] = (),
) -> ReconcileCounts:
    """Reconcile the given (folder id, path) pairs; ``subpaths`` limits a folder to some parts."""
    counts = ReconcileCounts()
    new_files: list[tuple[int, FoundFile]] = []
    changed: list[tuple[int, int, int, bytes | None]] = []
    missing: list[_Missing] = []

    def stop() -> bool:
        return cancel is not None and cancel.is_set()

    def go_offline(folder_id: int, root: Path) -> None:
        counts.offline.append(root)
        with catalog.write() as conn:
            queries.set_folder_state(conn, folder_id, online=False)

    for folder_id, root in folders:
        if not root.is_dir():
            go_offline(folder_id, root)
            continue
        with catalog.read() as conn:
            known = queries.files_in_folder(conn, folder_id)
            mounts = scan_records.known_mounts(conn, folder_id)
        if known and _listing_fails_or_is_empty(root):
            go_offline(folder_id, root)  # keep its photos until the drive or share is back
            continue
        prefixes = (subpaths or {}).get(folder_id)
        if prefixes is not None:
            prefixes = _with_same_shot(root, prefixes)
            known = {rel: k for rel, k in known.items() if _under_any(rel, prefixes)}
            walked = [root / p for p in prefixes]
        else:
            walked = [root]
        seen: set[str] = set()
        report = WalkReport.empty()
        for start in walked:
            if start.is_file() or not start.exists():
                found_iter = _single_file(root, start, report)
            else:
                found_iter = walk_photos(start, report, should_stop=stop, excluded=excluded)
            for found in found_iter:
                rel = found.path.relative_to(root).as_posix()
                found = FoundFile(found.path, rel, found.size, found.mtime_ns)
                counts.scanned += 1
                seen.add(rel)
                old = known.get(rel)
                if old is None:
                    new_files.append((folder_id, found))
                elif old.size != found.size or old.mtime_ns != found.mtime_ns:
                    digest = _hash_or_none(found.path, found.size)
                    changed.append((old.photo_id, found.size, found.mtime_ns, digest))
        if stop():
            counts.cancelled = True
            return counts
        for path, reason in report.unreadable:
            log.warning("%s: %s", path, reason)
            counts.unreadable.append(path)
        mount_state = _mount_states(root, mounts | {_rel(root, m) for m in report.mounts})
        # Not seen is not deleted when its folder could not be read or its drive is unmounted.
        kept = [_rel(root, path) for path, _ in report.unreadable]
        kept += [rel for rel, online in mount_state.items() if online is False]
        for rel, old in known.items():
            if rel not in seen and not _under_any(rel, kept):
                missing.append(_Missing(old.photo_id, folder_id, rel, old.content_hash))
        not_read = [(_rel(root, path), reason) for path, reason in report.not_read]
        not_read += [(_rel(root, path), reason) for path, reason in report.unreadable]
        counts.unread_files += len(report.not_read) + len(report.unreadable)
        kept_with = [(_rel(root, path), _rel(root, item), kind)
                     for path, item, kind in report.companions]
        counts.companions += len(kept_with)
        with catalog.write() as conn:
            queries.set_folder_state(conn, folder_id, online=True)
            scan_records.replace_unread(conn, folder_id, prefixes, not_read)
            companion_records.replace_companions(conn, folder_id, prefixes, kept_with)
            still_mounts = {r: s for r, s in mount_state.items() if s is not None}
            scan_records.record_mounts(conn, folder_id, still_mounts)
            scan_records.forget_mounts(conn, folder_id, set(mount_state) - set(still_mounts))
            if prefixes is None:  # a full scan: give passing failures another try
                counts.retried += queries.retry_transient(
                    conn, folder_id, TRANSIENT_REASONS, TRANSIENT_PREFIX
                )
                queries.set_folder_scanned(conn, folder_id, time.time())

    # Moves: a new file whose fingerprint matches a missing one takes over its row and vector.
    by_hash: dict[bytes, list[_Missing]] = defaultdict(list)
    for item in missing:
        if item.content_hash is not None:
            by_hash[item.content_hash].append(item)
    digests = {id(found): _hash_or_none(found.path, found.size) for _f, found in new_files}
    _add_vanished_twins(catalog, by_hash, missing, [d for d in digests.values() if d])
    inserts: dict[int, list[tuple[str, int, int, bytes | None]]] = defaultdict(list)
    moves: list[tuple[int, int, str, int]] = []
    for folder_id, found in new_files:
        digest = digests[id(found)]
        twins = by_hash.get(digest) if digest is not None else None
        if twins:
            twin = twins.pop()
            moves.append((twin.photo_id, folder_id, found.rel, found.mtime_ns))
        else:
            inserts[folder_id].append((found.rel, found.size, found.mtime_ns, digest))
    moved_ids = {m[0] for m in moves}
    gone_ids = [m.photo_id for m in missing if m.photo_id not in moved_ids]

    removed_labels: list[int] = []
    with catalog.write() as conn:
        # Deletions first: a rename onto a path that was itself removed must not collide.
        removed_labels += queries.delete_photos(conn, gone_ids)
        for photo_id, folder_id, rel, mtime in moves:
            queries.move_photo(conn, photo_id, folder_id, rel, mtime)
        removed_labels += queries.reset_changed(conn, changed)
    for folder_id, rows in inserts.items():
        for first in range(0, len(rows), _WRITE_CHUNK):
            with catalog.write() as conn:
                queries.insert_photos(conn, folder_id, rows[first : first + _WRITE_CHUNK])
    if index is not None:
        index.remove(removed_labels)

    counts.added = sum(len(rows) for rows in inserts.values())
    counts.changed = len(changed)
    counts.moved = len(moves)
    counts.removed = len(gone_ids)
    return counts


def _add_vanished_twins(
    catalog: Catalog,
    by_hash: dict[bytes, list[_Missing]],
    missing: list[_Missing],
    digests: list[bytes],
) -> None:
    """Known photos outside this scan whose file is gone but whose fingerprint just appeared.

    A watcher may report a new folder before the move that filled it, so the scan of the
    destination runs without the source's: the photo left its old place all the same, and it
    keeps its row and vector instead of being embedded again.
    """
    wanted = [d for d in digests if not by_hash.get(d)]
    if not wanted:
        return
    known = {m.photo_id for m in missing}
    with catalog.read() as conn:
        candidates = queries.photos_with_hashes(conn, wanted)
    for photo_id, root, path, digest in candidates:
        # Its folder must be reachable: a photo on an unplugged drive has not moved anywhere.
        if photo_id in known or os.path.lexists(path) or not root.is_dir():
            continue
        item = _Missing(photo_id, -1, "", digest)
        by_hash[digest].append(item)
        known.add(photo_id)


def _listing_fails_or_is_empty(root: Path) -> bool:
    try:
        with os.scandir(root) as entries:
            return next(entries, None) is None
    except OSError as exc:
        log.warning("%s cannot be listed: %s", root, exc)
        return True


def _under_any(rel: str, folders: Sequence[str]) -> bool:
    """Whether ``rel`` lies in one of ``folders`` (posix paths relative to the same root)."""
    return any(
        f.strip("/") in ("", ".") or rel == f.strip("/") or rel.startswith(f.strip("/") + "/")
        for f in folders
    )


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _mount_states(root: Path, mounts: set[str]) -> dict[str, bool | None]:
    """For each folder inside ``root`` known to be a mount point: True while something is
    mounted on it, False once unmounted (it is empty or gone: its photos are kept, offline),
    None when it became a plain folder with files in it (no longer a mount to remember)."""
    states: dict[str, bool | None] = {}
    for rel in mounts:
        path = root / rel
        if os.path.ismount(path):
            states[rel] = True
        elif not path.is_dir() or _listing_fails_or_is_empty(path):
            states[rel] = False
        else:
            states[rel] = None
    return states


def _with_same_shot(root: Path, prefixes: list[str]) -> list[str]:
    """``prefixes`` and, for each that names a file (or a file gone), the other files of the
    same shot beside it: a JPEG added turns its RAW from a photo into a companion, a JPEG
    deleted turns it back, and both sides must be looked at again."""
    wanted = list(prefixes)
    for prefix in prefixes:
        path = root / prefix.strip("/")
        if prefix.strip("/") in ("", ".") or path.is_dir():
            continue
        wanted += [_rel(root, p) for p in same_shot(path) if _rel(root, p) not in wanted]
    return wanted


def _single_file(root: Path, path: Path, report: WalkReport) -> Iterator[FoundFile]:
    """A subpath that names one file (a watcher event) rather than a folder."""
    companion = companion_of(path) if path.is_file() else None
    if companion is not None:
        report.companions.append((path, path.with_name(companion.item), companion.kind))
        return
    if not is_supported(path):
        why = not_read_reason(path)
        if why is not None and path.is_file():
            report.not_read.append((path, why))
        return
    try:
        st = path.stat()
    except OSError:
        return
    if stat.S_ISREG(st.st_mode):
        yield FoundFile(path, path.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns)
