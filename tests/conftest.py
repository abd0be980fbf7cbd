"""Shared fixtures: every test gets its own data folder; photos are real files made here."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.conftest_models import *  # noqa: F403 - model fixtures (tiny weights, shapes CLIP)

TINY_MODEL = "test-tiny"


# Work after embedding that most tests do not need and that costs seconds per library: tagging
# (the first run encodes the vocabulary's ~3,500 prompts into a new data folder) and reading text
# (the OCR engine loads). Tests marked `understanding` run them, as the product always does.
COSTLY_JOBS = frozenset({"tags", "text"})


@pytest.fixture(autouse=True)
def _costly_jobs_only_where_tested(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    if request.node.get_closest_marker("understanding") is not None:
        return
    from core.library.library import Library

    every_job = Library.background_jobs

    def cheap_jobs(self: Library) -> list:
        return [job for job in every_job(self) if job.name not in COSTLY_JOBS]

    monkeypatch.setattr(Library, "background_jobs", cheap_jobs)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "photoseek-home"
    monkeypatch.setenv("PHOTOSEEK_HOME", str(home))
    monkeypatch.delenv("PHOTOSEEK_MODEL", raising=False)
    return home


def make_photo(path: Path, seed: int, size: tuple[int, int] = (160, 120)) -> Path:
    """A distinct picture for each seed: a coloured background with a few shapes."""
    import random

    rnd = random.Random(seed)
    img = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(4):
        x0, y0 = rnd.randrange(size[0] - 20), rnd.randrange(size[1] - 20)
        box = (x0, y0, x0 + rnd.randrange(10, 60), y0 + rnd.randrange(10, 60))
        fill = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)(box, fill=fill)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, quality=90) if path.suffix.lower() in {".jpg", ".jpeg"} else img.save(path)
    return path


@pytest.fixture
def photo_dir(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    for n in range(12):
        make_photo(root / f"img_{n:02d}.jpg", n)
    for n in range(12, 16):
        make_photo(root / "sub" / f"pic_{n}.png", n)
    return root


def tree_fingerprint(root: Path) -> dict[str, str]:
    """Every file's sha256 and every folder, to prove a tree was not touched."""
    found: dict[str, str] = {}
    for folder, _dirs, files in os.walk(root):
        found[folder] = "<dir>"
        for name in files:
            path = Path(folder) / name
            if path.is_symlink():
                found[str(path)] = "<link>" + os.readlink(path)
                continue
            if not stat.S_ISREG(path.lstat().st_mode):  # a pipe would block a read
                found[str(path)] = f"<special {stat.S_IFMT(path.lstat().st_mode)}>"
                continue
            try:
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                found[str(path)] = f"<unreadable {exc.errno}>"
    return found


@pytest.fixture
def library(isolated_home: Path):
    from core.library import Library

    lib = Library(model=TINY_MODEL)
    yield lib
    lib.close()
