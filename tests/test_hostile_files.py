"""Files that are not what they seem: pipes, 16-bit scans, strips one pixel high, endless words,
RAW and video files, paths too long to open, bind mounts of the data folder."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.imaging.loading import load_photo
from core.indexing import reconcile as reconcile_module
from core.indexing.scanner import FoundFile, content_hash
from core.library import Library
from tests.conftest import TINY_MODEL, make_photo

ROOT = Path(__file__).resolve().parents[1]


def _opened_within(fn, seconds: float = 20.0) -> bool:
    """Run ``fn`` on a thread; False if it is still blocked after ``seconds`` (a hang)."""
    done = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as exc:  # the caller looks at what was raised
            errors.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, daemon=True).start()
    finished = done.wait(seconds)
    if errors and not isinstance(errors[0], OSError):
        raise errors[0]
    return finished


def test_a_pipe_named_like_a_photo_is_never_read(tmp_path):
    fifo = tmp_path / "photo.jpg"
    os.mkfifo(fifo)

    def fingerprint() -> None:
        with pytest.raises(OSError):
            content_hash(fifo, 1000)

    assert _opened_within(fingerprint), "fingerprinting a pipe blocked"


def test_a_photo_that_turns_into_a_pipe_after_listing_never_hangs_a_scan(
    library: Library, tmp_path, monkeypatch
):
    root = tmp_path / "photos"
    for n in range(3):
        make_photo(root / f"p{n}.jpg", n)
    library.add_folder(root)
    library.scan()
    victim = root / "p1.jpg"
    listed = victim.stat()
    victim.unlink()
    os.mkfifo(victim)  # a pipe now stands where the walk saw a photo a moment ago
    real_walk = reconcile_module.walk_photos

    def walk_that_saw_a_file(start, *args, **kwargs):
        yield from real_walk(start, *args, **kwargs)
        # What the listing returned before the swap: a changed file to fingerprint.
        yield FoundFile(victim, victim.name, listed.st_size + 1, listed.st_mtime_ns + 1)

    monkeypatch.setattr(reconcile_module, "walk_photos", walk_that_saw_a_file)
    assert _opened_within(library.scan), "the scan blocked on a pipe"


def test_a_weights_path_that_is_a_pipe_never_hangs_a_command(isolated_home, tmp_path):
    fifo = tmp_path / "weights.safetensors"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "core", "--model", f"test-tiny:{fifo}", "status"], cwd=ROOT,
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PHOTOSEEK_HOME": str(isolated_home)},
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("suffix", [".png", ".tif"])
def test_16_bit_grayscale_scans_larger_than_the_model_input_are_read(tmp_path, suffix):
    """Photographers export 16-bit greyscale; Pillow cannot reduce mode I;16 itself."""
    ramp = np.linspace(0, 65535, 900 * 1200).reshape(900, 1200).astype(np.uint16)
    path = tmp_path / f"scan{suffix}"
    Image.fromarray(ramp).save(path)
    assert Image.open(path).mode.startswith("I;16")
    image, meta = load_photo(path, 64)
    assert image.mode == "RGB" and min(image.size) == 64
    assert (meta.width, meta.height) == (1200, 900)
    pixels = np.asarray(image)[..., 0]
    assert pixels.min() < 40 and pixels.max() > 215  # the ramp survived: not clipped white


def test_a_strip_one_pixel_high_is_embedded_without_a_huge_allocation(
    tiny_embedder, monkeypatch
):
    """Scaling a 20,000 x 1 strip so that its short side fills the model's input would make
    it 1.3 million pixels wide (gigabytes for a real model's 224)."""
    sizes: list[tuple[int, int]] = []
    real_resize = Image.Image.resize

    def recording_resize(self, size, *args, **kwargs):
        sizes.append(tuple(size))
        return real_resize(self, size, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "resize", recording_resize)
    side = tiny_embedder.image_size
    for strip in (Image.new("RGB", (20_000, 1), "red"), Image.new("RGB", (1, 20_000), "red")):
        tensor = tiny_embedder.preprocess(strip)
        assert tuple(tensor.shape) == (3, side, side)
    assert sizes and max(w * h for w, h in sizes) <= side * side * 16
    assert np.isfinite(tiny_embedder.embed_pil([Image.new("RGB", (5000, 1))])).all()


@pytest.mark.timeout(60)  # a hang guard: BPE on 100,000 letters took minutes
def test_a_query_of_one_endless_word_is_answered(tiny_embedder):
    from core.models.embedder import bounded_query

    endless = "a" * 100_000
    vector = tiny_embedder.embed_texts([endless])[0]
    assert np.isfinite(vector).all()
    # The cut is where the model stops reading anyway: the same tokens as the cut text.
    tokens = tiny_embedder._tokenizer([bounded_query("bc" * 2000)])
    assert (tokens == tiny_embedder._tokenizer(["bc" * 2000])).all()


def test_raw_files_videos_and_documents_are_listed_with_their_reasons(library, tmp_path):
    root = tmp_path / "camera"
    make_photo(root / "keep.jpg", 1)
    for name in ("shot.CR2", "shot.dng", "clip.mp4", "clip.MOV", "edit.psd"):
        (root / name).write_bytes(b"\0" * 64)
    (root / "notes.txt").write_text("not a picture")
    (root / "keep.xmp").write_text("<x/>")
    library.add_folder(root)
    summary = library.index()
    # RAW files and videos are read (core.imaging.raw, core.imaging.video): these damaged ones
    # fail, each with its reason; the Photoshop document is not read, and says why.
    assert summary.scanned == 5 and summary.failed == 4 and summary.unread == 1
    assert "1 files not read" in summary.line()
    found = {f.path.name: (f.kind, f.reason) for f in library.failures()}
    assert set(found) == {"shot.CR2", "shot.dng", "clip.mp4", "clip.MOV", "edit.psd"}
    assert found["shot.CR2"] == ("failed", "not a RAW file: LibRaw does not recognise its contents")
    assert found["clip.mp4"][0] == found["clip.MOV"][0] == "failed"
    assert found["edit.psd"][0] == "unread" and "Photoshop" in found["edit.psd"][1]
    assert library.status().unread == 1
    (root / "edit.psd").unlink()
    library.index()
    assert library.status().unread == 0  # a rescan replaces the list


def test_a_folder_beyond_the_path_length_limit_is_listed_not_dropped(library, tmp_path):
    root = tmp_path / "deep"
    root.mkdir()
    make_photo(root / "top.jpg", 1)
    # Build a path longer than PATH_MAX (4096) one folder at a time, relative to an open
    # folder (the only way to make one): the walk cannot open it by name.
    fd = os.open(root, os.O_RDONLY)
    depth = 0
    try:
        while len(str(root)) + depth * 201 < 4300:
            name = f"{depth:03d}" + "d" * 197
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            depth += 1
        with open(os.open("lost.jpg", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "wb") as handle:
            handle.write((root / "top.jpg").read_bytes())
    finally:
        os.close(fd)
    library.add_folder(root)
    summary = library.index()
    assert summary.embedded == 1
    unread = [f for f in library.failures() if f.kind == "unread"]
    assert unread and "too long" in unread[0].reason


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def test_the_data_folder_bound_inside_a_photo_folder_is_never_indexed(tmp_path, monkeypatch):
    """A bind mount makes the same folder appear under another path: it is recognised by
    device and inode, not by its name."""
    home = tmp_path / "home"
    photos = tmp_path / "photos"
    make_photo(photos / "a.jpg", 1)
    (photos / "bound").mkdir()
    library = Library(home=home, model=TINY_MODEL)
    make_photo(home / "thumbnails" / "ab" / "cached.jpg", 2)  # what thumbnails look like
    if not _mount("--bind", str(home), str(photos / "bound")):
        library.close()
        pytest.skip("bind mounts need root and a kernel that allows them here")
    try:
        library.add_folder(photos)
        library.index()
        names = {p.path.name for p in library.search_by_name("", 100)}
        assert names == {"a.jpg"}
    finally:
        library.close()
        subprocess.run(["umount", str(photos / "bound")], check=True)
