"""Where PhotoSeek keeps its data: one folder, resolved in one place.

Order: an explicit ``--home``, then ``PHOTOSEEK_HOME``, then platformdirs' user data folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "PhotoSeek"
HOME_ENV = "PHOTOSEEK_HOME"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder (not created)."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    """Every file and folder inside the data folder."""

    home: Path

    @property
    def catalog(self) -> Path:
        return self.home / "catalog.db"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def thumbnails_dir(self) -> Path:
        return self.home / "thumbnails"

    @property
    def settings(self) -> Path:
        return self.home / "settings.json"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def backups_dir(self) -> Path:
        return self.home / "backups"

    def ensure(self) -> DataPaths:
        for folder in (self.home, self.index_dir, self.models_dir, self.thumbnails_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def data_paths(explicit: str | os.PathLike[str] | None = None) -> DataPaths:
    return DataPaths(resolve_home(explicit))
