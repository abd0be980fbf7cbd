"""User settings, declared once with typed defaults and saved atomically as JSON.

The list of library folders is mirrored here as well as in the catalog, so that a damaged catalog
can be rebuilt without asking the user which folders they had.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_MODEL = "ViT-B-32:laion2b_s34b_b79k"
MODEL_ENV = "PHOTOSEEK_MODEL"


@dataclass
class Settings:
    model: str = DEFAULT_MODEL
    device: str = "auto"  # auto | cpu | cuda | mps
    folders: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    thumbnail_size: int = 160
    welcomed: bool = False

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("settings file %s unreadable (%s); using defaults", path, exc)
            return cls()
        known = {f.name: f for f in fields(cls)}
        values = {}
        defaults = cls()
        for key, value in raw.items() if isinstance(raw, dict) else ():
            if key in known and isinstance(value, type(getattr(defaults, key))):
                values[key] = value
        return cls(**values)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, path)


def choose_model(explicit: str | None, settings: Settings) -> str:
    """--model, then PHOTOSEEK_MODEL, then the saved setting."""
    return explicit or os.environ.get(MODEL_ENV) or settings.model
