"""Where PhotoSeek keeps its data: one folder, resolved in one place.

Order: an explicit ``--home``, then ``PHOTOSEEK_HOME``, then platformdirs' user data folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from core.errors import CatalogError

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


class DataFolderError(CatalogError):
    """The data folder cannot be made or used: a file stands in its place, or no permission."""


def _file_in_the_way(folder: Path) -> Path | None:
    """The nearest of ``folder`` and its parents that exists but is not a folder, if any."""
    for candidate in (folder, *folder.parents):
        try:
            if candidate.exists():
                return None if candidate.is_dir() else candidate
        except OSError:  # a name too long to look at: not a file in the way
            continue
    return None


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
        """Create the data folder and its subfolders; DataFolderError says why it cannot."""
        for folder in (self.home, self.index_dir, self.models_dir, self.thumbnails_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                # mkdir reports a file in the way as FileExistsError or NotADirectoryError,
                # neither of which names the culprit: find it, so the message can.
                blocker = _file_in_the_way(folder)
                problem = (
                    f"{blocker} is a file, not a folder"
                    if blocker is not None
                    else f"{folder} cannot be created ({exc.strerror or exc})"
                )
                raise DataFolderError(
                    f"PhotoSeek cannot use {self.home} as its data folder: {problem}. "
                    f"Choose another folder with --home or {HOME_ENV}."
                ) from exc
        return self


def data_paths(explicit: str | os.PathLike[str] | None = None) -> DataPaths:
    return DataPaths(resolve_home(explicit))
