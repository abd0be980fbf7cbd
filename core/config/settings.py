"""User settings: declared once with typed defaults, read as immutable snapshots, changed only
through their one owner, the ``SettingsStore`` of a data folder.

Several processes may share a data folder (the app beside ``photoseek watch``, two commands at
once). A change therefore re-reads the file under a lock, applies only the fields it changes,
and writes the result atomically under a unique temporary name: no change made by another
process is lost, and no two writers ever collide on a temporary file.

The list of library folders is mirrored here as well as in the catalog, so that a damaged or
lost catalog can be rebuilt without asking the user which folders they had.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sqlite3
import threading
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from core.fs.locks import locked
from core.fs.safe_open import atomic_write_text, read_regular_bytes
from core.models.names import DEFAULT_HISTORY, DEFAULT_MODEL

log = logging.getLogger(__name__)

MODEL_ENV = "PHOTOSEEK_MODEL"
_MAX_BYTES = 1 << 20  # a settings file is a few hundred bytes; anything huge is not ours


@dataclass(frozen=True)
class Settings:
    # "" until the owner (or a command's --model) names one: the library's default then
    # applies, which choose_model finds (an existing library keeps the default it was made with).
    model: str = ""
    device: str = "auto"  # auto | cpu | cuda | mps
    folders: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    thumbnail_size: int = 160
    welcomed: bool = False
    language: str = "system"  # system | en | zh_CN: the interface's language (desktop_app.i18n)

    @classmethod
    def from_json(cls, raw: object) -> Settings:
        """Known fields of the right type; anything else is ignored (a newer or damaged file)."""
        if not isinstance(raw, dict):
            return cls()
        defaults = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = raw.get(f.name)
            default = getattr(defaults, f.name)
            if isinstance(default, tuple):
                if isinstance(value, list) and all(isinstance(v, str) for v in value):
                    values[f.name] = tuple(value)
            # type() and not isinstance(): True is an int, but not a thumbnail size
            elif type(value) is type(default):
                values[f.name] = value
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def load(cls, path: Path) -> Settings:
        """The settings saved at ``path``; defaults where it is missing or damaged."""
        try:
            raw = json.loads(read_regular_bytes(path, _MAX_BYTES).decode("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            return cls()
        return cls.from_json(raw)


class SettingsStore:
    """The one owner of a data folder's settings in this process. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_path = path.with_name(path.name + ".lock")
        self._mutex = threading.Lock()
        self._current = Settings.load(path)

    @property
    def current(self) -> Settings:
        """The latest snapshot (immutable: change it with ``update``)."""
        return self._current

    def reload(self) -> Settings:
        """Read what other processes may have saved since."""
        with self._mutex:
            self._current = Settings.load(self.path)
            return self._current

    def update(self, **changes: Any) -> Settings:
        """Apply ``changes`` to the saved settings (re-read first, under a lock shared with other
        processes) and save them atomically; returns the new snapshot."""
        unknown = set(changes) - {f.name for f in fields(Settings)}
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
        changes = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        with self._mutex, locked(self._lock_path):
            updated = dataclasses.replace(Settings.load(self.path), **changes)
            atomic_write_text(self.path, json.dumps(updated.to_json(), indent=2))
            self._current = updated
            return updated


def choose_model(explicit: str | None, settings: Settings, catalog: Path | None = None) -> str:
    """--model, then PHOTOSEEK_MODEL, then the saved setting, then the library's default.

    The default of a library whose settings never named a model is the one it was indexed
    with: the newest of the defaults so far (DEFAULT_HISTORY) that has vectors in its catalog.
    So changing the default never re-indexes anyone's photos behind their back; a new library
    (or one with no vectors of any default) gets today's default.
    """
    chosen = explicit or os.environ.get(MODEL_ENV) or settings.model
    if chosen:
        return chosen
    if catalog is not None:
        with_vectors = _defaults_with_vectors(catalog)
        for name in reversed(DEFAULT_HISTORY):
            if name in with_vectors:
                return name
    return DEFAULT_MODEL


def _defaults_with_vectors(catalog: Path) -> set[str]:
    """The past and present defaults that have vectors in the catalog (read-only; a missing,
    locked or damaged catalog has none: the catalog's own opening reports those)."""
    from core.catalog.schema import embeddings, models

    if not catalog.is_file():
        return set()
    marks = ",".join("?" * len(DEFAULT_HISTORY))
    try:
        db = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5)
        try:
            rows = db.execute(
                f"SELECT DISTINCT m.name FROM {models.name} m JOIN {embeddings.name} e"
                f" ON e.model_id = m.id WHERE m.name IN ({marks})",
                DEFAULT_HISTORY,
            ).fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        log.info("cannot read which models %s has vectors of (%s)", catalog, exc)
        return set()
    return {str(r[0]) for r in rows}
