"""load_photo against the hostile corpus: every file ends as a picture or as a readable reason."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from core.errors import ImageLoadError
from core.imaging.loading import load_photo, read_metadata
from tests.corpus import CorpusCase, build_corpus, mutate_between_scan_and_decode

MIN_SIDE = 224
# Damaged EXIF directories make Pillow warn (not fail); those warnings are expected here.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[CorpusCase]:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


def _fingerprint(root: Path) -> dict[str, str]:
    """sha256 of every readable regular file, a marker for every other entry: the whole tree."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):  # followlinks=False: the corpus has a loop
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                found[path] = f"<{stat.filemode(info.st_mode)}>"
                continue
            try:
                with open(path, "rb") as fh:
                    found[path] = hashlib.sha256(fh.read()).hexdigest() + f" {info.st_mtime_ns}"
            except PermissionError:
                found[path] = f"<unreadable {info.st_size} {info.st_mtime_ns}>"
    return found


def _is_human(reason: str) -> bool:
    return bool(reason.strip()) and not any(
        marker in reason for marker in ("Traceback", "Error(", "Errno", "<", "\n", "0x")
    )


def _check(case: CorpusCase) -> str | None:
    """None when load_photo did what the case expects, else what went wrong."""
    try:
        image, meta = load_photo(case.path, MIN_SIDE)
    except ImageLoadError as exc:
        if not _is_human(exc.reason):
            return f"reason is not for people: {exc.reason!r}"
        if case.expect == "indexed":
            return f"expected a picture, got {exc.reason!r}"
        if case.reason_contains and case.reason_contains not in exc.reason:
            return f"reason {exc.reason!r} lacks {case.reason_contains!r}"
        return None
    except Exception as exc:  # the point of the corpus: nothing else may escape
        return f"raised {exc!r}"
    if case.expect == "failed":
        return f"expected a failure, got a {image.size} picture"
    if image.mode != "RGB":
        return f"mode {image.mode}"
    if case.display_size is not None:
        width, height = case.display_size
        if (meta.width, meta.height) != case.display_size:
            return f"metadata size {(meta.width, meta.height)} != {case.display_size}"
        short = min(width, height)
        if min(image.size) != min(short, MIN_SIDE):
            return f"shortest side {min(image.size)} for a {width}x{height} picture"
        if (image.width >= image.height) != (width >= height):
            return f"aspect turned: {image.size} for {width}x{height}"
    if case.top_left is not None:
        pixel = image.getpixel((0, 0))
        assert isinstance(pixel, tuple)
        if any(abs(a - b) > 40 for a, b in zip(pixel, case.top_left, strict=True)):
            return f"top-left corner is {pixel}, expected about {case.top_left} (orientation?)"
    return None


def test_corpus_is_large_enough(corpus: list[CorpusCase]) -> None:
    kinds = {case.kind for case in corpus}
    assert len(kinds) >= 30
    assert {f"orientation_{n}" for n in range(1, 9)} <= kinds
    assert {"indexed", "failed", "skipped"} == {case.expect for case in corpus}


def test_every_case_loads_or_fails_cleanly(corpus: list[CorpusCase]) -> None:
    root = Path(os.path.commonpath([case.path for case in corpus]))
    before = _fingerprint(root)
    problems: list[str] = []
    checked = 0
    for case in corpus:  # time and memory per case: benchmarks/bench_hostile.py
        if not os.path.lexists(case.path):
            continue
        problem = _check(case)
        checked += 1
        if problem is not None:
            problems.append(f"{case.kind} ({case.expect}, {os.fsencode(case.path)!r}): {problem}")
    assert not problems, "\n".join(problems)
    assert checked >= 60
    # Reading photos never changes them, nor adds anything beside them.
    assert _fingerprint(root) == before


def test_metadata_never_raises_anything_else(corpus: list[CorpusCase]) -> None:
    for case in corpus:
        if case.expect == "indexed" and case.display_size is not None:
            meta = read_metadata(case.path)
            assert (meta.width, meta.height) == case.display_size, case.kind
            assert 1 <= meta.orientation <= 8
            for text in (meta.camera_make, meta.camera_model):
                assert text is None or (0 < len(text) <= 64 and "\x00" not in text), case.kind


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("delete", "file vanished before it could be read"),
        ("truncate", "truncated or corrupt image data"),
        ("replace_with_text", "not an image: the file looks like text"),
        ("replace_with_folder", "this is a folder, not a photo"),
    ],
)
def test_file_changes_after_scan(tmp_path: Path, how: str, reason: str) -> None:
    case = next(c for c in build_corpus(tmp_path / "c") if c.kind == "progressive_jpeg")
    assert case.path.stat().st_size > 0  # the scanner saw it...
    mutate_between_scan_and_decode(case.path, how)  # type: ignore[arg-type]
    with pytest.raises(ImageLoadError) as info:  # ...and then it changed under us
        load_photo(case.path, MIN_SIDE)
    assert info.value.reason == reason
