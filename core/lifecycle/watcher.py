"""Watching library folders: file events become scan requests for the indexing service.

Each event is reduced to (folder id, relative path) and handed to the service, which merges and
debounces them; the reconcile it runs does the real work, so an event is only a hint and a lost
or duplicated event costs nothing but time. A moved file or folder is requested as ONE request
holding both its old and its new path, so a single reconcile sees the disappearance and the
appearance together and the move detection keeps the vectors (no re-embedding).

Where events cannot be had (network file systems, the inotify watch limit) a folder falls back to
a periodic rescan, recorded as watch_mode "polling" in the catalog. A monitor thread notices
folders that go offline (an unplugged drive) or come back, and watches that died.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from core.catalog import queries
from core.imaging.loading import is_supported
from core.indexing.scanner import is_skipped_dir
from core.library import Library
from core.lifecycle.indexing_service import IndexingService

log = logging.getLogger(__name__)

EVENTS, POLLING = "events", "polling"
# Events from these file systems do not report changes made by other machines.
NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "9p", "ncpfs", "davfs", "glusterfs", "ceph",
    "lustre", "gpfs", "fuse.sshfs", "fuse.rclone", "fuse.davfs2", "fuse.s3fs", "fuse.glusterfs",
    # desktop mounts of SMB/SFTP/WebDAV shares made by GNOME (gvfs) and KDE (kio-fuse)
    "fuse.gvfsd-fuse", "fuse.kio-fuse",
})
_EVENT_TYPES = [
    FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]


def filesystem_type(path: Path, mounts: Path = Path("/proc/self/mounts")) -> str | None:
    """The file system type holding ``path`` (Linux; None where it cannot be told)."""
    try:
        lines = mounts.read_text().splitlines()
    except OSError:
        return None
    best, kind = "", None
    target = str(path)
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def relevant(rel: str, is_directory: bool) -> bool:
    """Whether a change at this relative path can matter to the library."""
    parts = rel.split("/")
    if any(is_skipped_dir(p) for p in parts[:-1]):
        return False
    if is_directory:
        return not is_skipped_dir(parts[-1])
    return not parts[-1].startswith(".") and is_supported(Path(parts[-1]))


class _Handler(FileSystemEventHandler):
    """Turns one folder's events into scan requests (runs on watchdog's thread)."""

    def __init__(self, folder_id: int, root: Path, service: IndexingService) -> None:
        self._id, self._root, self._service = folder_id, str(root), service

    def _rel(self, path: bytes | str) -> str | None:
        path = os.fsdecode(path)
        if not path:
            return None  # one side of a move from or to outside the watch
        if path == self._root:
            return ""
        if not path.startswith(self._root + os.sep):
            return None
        return Path(os.path.relpath(path, self._root)).as_posix()

    def dispatch(self, event: FileSystemEvent) -> None:
        rels = [self._rel(event.src_path)]
        if event.event_type == "moved":
            rels.append(self._rel(event.dest_path))
        wanted = [r for r in rels if r is not None and (r == "" or relevant(r, event.is_directory))]
        if wanted:
            self._service.request_scans({self._id: wanted})


@dataclass
class _Watched:
    path: Path
    mode: str  # EVENTS or POLLING
    online: bool
    watch: ObservedWatch | None = None
    last_scan: float = 0.0


class FolderWatcher:
    """Watches every library folder; ``refresh()`` after adding or forgetting one."""

    def __init__(
        self,
        library: Library,
        service: IndexingService,
        *,
        poll_interval_s: float = 300.0,
        check_interval_s: float = 2.0,
        refresh_s: float = 5.0,
        safety_rescan_s: float = 3600.0,
        observer: BaseObserver | None = None,
    ) -> None:
        self.library = library
        self.service = service
        self.poll_interval_s = poll_interval_s
        # Watched folders are rescanned now and then too: an event queue can overflow (a huge
        # copy) and lose events, and a reconcile of an unchanged folder only costs stat calls.
        self.safety_rescan_s = safety_rescan_s
        self.check_interval_s = check_interval_s
        # Folders another process added (`photoseek index` beside the app) are found this often.
        self.refresh_s = refresh_s
        self._observer = observer or Observer()
        self._folders: dict[int, _Watched] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._monitor: threading.Thread | None = None
        self._refreshed_once = False

    def start(self) -> None:
        # Started before scheduling, so a schedule that fails (inotify limit) raises right here.
        self._observer.start()
        self.refresh()
        self._monitor = threading.Thread(target=self._check_loop, name="folders", daemon=True)
        self._monitor.start()

    def stop(self) -> None:
        self._stop.set()
        self._observer.stop()
        self._observer.join(5.0)
        if self._monitor is not None:
            self._monitor.join(5.0)

    def modes(self) -> dict[int, str]:
        """Each watched folder's mode (events or polling), by folder id."""
        with self._lock:
            return {fid: w.mode for fid, w in self._folders.items()}

    def refresh(self) -> None:
        """Watch new library folders, drop forgotten ones. A folder that appears after the
        start (added here, or by another PhotoSeek process such as ``photoseek index``) is
        scanned too: its photos are found without waiting for an event."""
        folders = {f.id: f for f in self.library.folders()}
        new: list[int] = []
        with self._lock:
            for fid in set(self._folders) - set(folders):
                self._unwatch(self._folders.pop(fid))
            for fid, folder in folders.items():
                if fid not in self._folders:
                    watched = _Watched(folder.path, folder.watch_mode, folder.path.is_dir())
                    self._folders[fid] = watched
                    if watched.online:
                        self._watch(fid, watched)
                    new.append(fid)
            first, self._refreshed_once = not self._refreshed_once, True
        if new and not first:  # at the start, the service's own first scan covers every folder
            self.service.request_scans(dict.fromkeys(new))

    def _watch(self, folder_id: int, watched: _Watched) -> None:
        mode, reason = EVENTS, ""
        fs = filesystem_type(watched.path)
        if fs in NETWORK_FS:
            mode, reason = POLLING, f"{fs} file systems do not report changes made elsewhere"
        else:
            try:
                watched.watch = self._observer.schedule(
                    _Handler(folder_id, watched.path, self.service), str(watched.path),
                    recursive=True, event_filter=_EVENT_TYPES,
                )
            except OSError as exc:  # ENOSPC: the inotify watch limit; EACCES, and so on
                mode, reason = POLLING, f"it cannot be watched ({exc})"
        if mode == POLLING:
            log.warning("%s: rescanning every %.0f s because %s", watched.path,
                        self.poll_interval_s, reason)
        watched.last_scan = time.monotonic()
        self._record_mode(folder_id, watched, mode)

    def _record_mode(self, folder_id: int, watched: _Watched, mode: str) -> None:
        if watched.mode != mode:
            with self.library.catalog.write() as conn:
                queries.set_folder_state(conn, folder_id, watch_mode=mode)
        watched.mode = mode

    def _unwatch(self, watched: _Watched) -> None:
        if watched.watch is not None:
            # KeyError: its emitter already stopped (the folder was deleted or unmounted).
            with contextlib.suppress(KeyError, OSError):
                self._observer.unschedule(watched.watch)
            watched.watch = None

    def _emitter_alive(self, watch: ObservedWatch) -> bool:
        return any(e.watch == watch and e.is_alive() for e in self._observer.emitters)

    def _check_loop(self) -> None:
        refreshed = time.monotonic()
        while not self._stop.wait(self.check_interval_s):
            try:
                if time.monotonic() - refreshed >= self.refresh_s:
                    self.refresh()
                    refreshed = time.monotonic()
                self._check()
            except Exception:  # a bug: log it, keep watching
                log.exception("folder monitor failed")

    def _check(self) -> None:
        """Offline/online transitions, dead watches, and the periodic rescans of polled folders."""
        now = time.monotonic()
        due: list[int] = []
        with self._lock:
            for fid, w in self._folders.items():
                online = w.path.is_dir()
                if online != w.online:
                    log.info("%s is %s", w.path, "back" if online else "offline")
                    w.online = online
                    self._unwatch(w)
                    if online:
                        self._watch(fid, w)
                    due.append(fid)  # reconcile marks it offline, or catches up on its return
                elif online and w.mode == EVENTS and w.watch is not None:
                    if not self._emitter_alive(w.watch):
                        self._unwatch(w)
                        self._watch(fid, w)
                        due.append(fid)
                elif online and now - w.last_scan >= (
                    self.poll_interval_s if w.mode == POLLING else self.safety_rescan_s
                ):
                    w.last_scan = now
                    due.append(fid)
        if due:
            self.service.request_scans(dict.fromkeys(due))
