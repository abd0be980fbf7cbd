"""RAW photos through LibRaw: the embedded preview when it is large enough, a half-size demosaic
otherwise, EXIF from the RAW itself, orientation, and the same safety rails as every photo.

The RAW files are real DNGs written by tests/raw_files.py and decoded by LibRaw: the mosaic
shows red on the left and blue on the right, the preview is all green, so each test can tell
which path decoded the file.
"""

from __future__ import annotations

import io
import struct
import threading
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.errors import ImageLoadError
from core.imaging import loading
from core.imaging.formats import RAW_EXTENSIONS
from core.imaging.loading import (
    is_supported,
    load_photo,
    make_thumbnail,
    not_read_reason,
    read_metadata,
)
from core.imaging.pixel_budget import PixelBudget
from core.imaging.raw import PREVIEW_FACTOR, RAW_READ_EXTENSIONS, raw_exif
from tests.conftest import TINY_MODEL, make_photo
from tests.raw_files import BLUE, GREEN, RED, write_dng

SHOT = datetime(2021, 7, 4, 18, 30, 5)


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 60) -> bool:
    return all(abs(int(a) - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


def hue(pixel: tuple[int, ...]) -> str:
    """Which of the test colours a pixel is (auto brightness changes levels, not hues)."""
    channel = int(np.argmax(pixel[:3]))
    return ("red", "green", "blue")[channel]


def test_every_raw_kind_libraw_reads_is_a_photo_and_no_longer_unread() -> None:
    # This LibRaw reads every kind listed; X3F only where it was built with its X3F tools.
    assert (RAW_EXTENSIONS - RAW_READ_EXTENSIONS).issubset({".x3f"})
    for ext in (".dng", ".cr2", ".cr3", ".nef", ".arw", ".raf", ".orf", ".rw2"):
        assert ext in RAW_READ_EXTENSIONS
        path = Path(f"shot{ext.upper()}")
        assert is_supported(path) and not_read_reason(path) is None


def test_a_large_embedded_preview_is_used_with_the_raws_own_exif(tmp_path: Path) -> None:
    path = write_dng(tmp_path / "IMG_0001.DNG", size=(640, 480), preview=(1024, 768))
    image, meta = load_photo(path, 224)
    assert image.mode == "RGB" and min(image.size) == 224
    assert near(image.getpixel((10, 10)), GREEN), "the camera's preview was not used"
    assert (meta.width, meta.height) == (640, 480)  # the RAW's size, not the preview's
    assert meta.format == "DNG" and meta.orientation == 1
    assert meta.taken_at == SHOT
    assert (meta.camera_make, meta.camera_model) == ("Canon", "Canon EOS R5")
    assert meta.gps_lat == pytest.approx(48.8584, abs=1e-4)
    assert meta.gps_lon == pytest.approx(2.2945, abs=1e-4)
    assert read_metadata(path) == meta


def test_without_a_preview_the_raw_is_demosaiced_at_half_size(tmp_path: Path) -> None:
    path = write_dng(tmp_path / "bare.dng", size=(640, 480), preview=None)
    image, meta = load_photo(path, 224)
    assert image.size == (299, 224)
    assert hue(image.getpixel((20, 112))) == "red" and near(image.getpixel((20, 112)), RED, 80)
    assert hue(image.getpixel((280, 112))) == "blue"
    assert near(image.getpixel((280, 112)), BLUE, 80)
    assert meta.taken_at == SHOT and (meta.width, meta.height) == (640, 480)
    # Half size: 320x240 decoded, never enlarged when more is asked for.
    assert load_photo(path, 1000)[0].size == (320, 240)


def test_a_preview_is_used_from_twice_the_models_side(tmp_path: Path) -> None:
    assert PREVIEW_FACTOR == 2
    enough = write_dng(tmp_path / "enough.dng", preview=(600, 2 * 224))
    short = write_dng(tmp_path / "short.dng", preview=(600, 2 * 224 - 1))
    assert hue(load_photo(enough, 224)[0].getpixel((5, 5))) == "green"
    assert hue(load_photo(short, 224)[0].getpixel((5, 5))) == "red"  # demosaiced instead
    # A small preview is enough for a small thumbnail, not for a large one.
    assert hue(make_thumbnail(short, 256).getpixel((5, 5))) == "green"
    thumb = make_thumbnail(short, 1000)
    assert hue(thumb.getpixel((5, 5))) == "red" and thumb.size == (320, 240)


@pytest.mark.parametrize("preview", [(1024, 768), None])
def test_the_raws_orientation_turns_both_paths_upright(tmp_path: Path, preview) -> None:
    # Orientation 6: the camera was turned a quarter clockwise; the left of the sensor (red)
    # is the top of the picture.
    path = write_dng(tmp_path / "turned.dng", size=(640, 480), preview=preview, orientation=6)
    image, meta = load_photo(path, 224)
    assert (meta.width, meta.height, meta.orientation) == (480, 640, 6)
    assert image.size == (224, 299)
    thumb = make_thumbnail(path, 128)
    assert thumb.size == (96, 128)
    if preview is None:
        assert hue(image.getpixel((112, 10))) == "red" and hue(image.getpixel((112, 290))) == "blue"
        assert hue(thumb.getpixel((48, 5))) == "red" and hue(thumb.getpixel((48, 122))) == "blue"
    else:
        assert hue(image.getpixel((112, 10))) == "green"


def test_exif_missing_from_the_container_comes_from_the_preview(tmp_path: Path) -> None:
    # Panasonic and Fujifilm keep the date and position in the embedded JPEG only.
    path = write_dng(tmp_path / "P1000001.dng", exif_in_preview=True, gps=(-33.865, 151.21))
    assert raw_exif(path.read_bytes()).taken_at is None  # nothing in the container itself
    meta = read_metadata(path)
    assert meta.taken_at == SHOT and meta.camera_make == "Canon"
    assert meta.gps_lat == pytest.approx(-33.865, abs=1e-3)
    assert meta.gps_lon == pytest.approx(151.21, abs=1e-3)


def test_a_raw_with_no_date_anywhere_has_none_not_libraws_epoch(tmp_path: Path) -> None:
    # LibRaw gives an EXIF-less preview a header of its own, dated 1970-01-01 when it found no
    # date: that is no date taken.
    path = write_dng(tmp_path / "undated.dng", taken_at=None, gps=None, exif_in_preview=True)
    meta = read_metadata(path)
    assert meta.taken_at is None and meta.gps_lat is None


def test_orf_and_rw2_containers_give_their_exif(tmp_path: Path) -> None:
    for magic in (b"IIRO", b"IIU\x00"):  # Olympus ORF, Panasonic RW2: TIFF with another magic
        data = write_dng(tmp_path / "shot.raw", magic=magic).read_bytes()
        fields = raw_exif(data)
        assert fields.taken_at == SHOT and fields.camera_model == "Canon EOS R5"
        assert fields.gps_lat == pytest.approx(48.8584, abs=1e-4)


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def _tiff(tags: dict) -> bytes:
    exif = Image.Exif()
    for tag, value in tags.items():
        exif[tag] = value
    return exif.tobytes()[6:]  # without "Exif\0\0": a TIFF, as Canon stores it


def test_a_canon_cr3_gives_its_exif_from_its_cmt_boxes() -> None:
    canon = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
    cmt = (
        _box(b"CMT1", _tiff({271: "Canon", 272: "Canon EOS R6", 274: 1}))
        + _box(b"CMT2", _tiff({36867: "2022:05:06 07:08:09"}))
        + _box(b"CMT4", _tiff({1: "S", 2: (33.0, 51.0, 54.0), 3: "E", 4: (151.0, 12.0, 36.0)}))
    )
    data = (
        _box(b"ftyp", b"crx \x00\x00\x00\x01crx isom")
        + _box(b"moov", _box(b"uuid", canon + cmt))
        + _box(b"mdat", bytes(64))
    )
    fields = raw_exif(data)
    assert fields.taken_at == datetime(2022, 5, 6, 7, 8, 9)
    assert (fields.camera_make, fields.camera_model) == ("Canon", "Canon EOS R6")
    assert fields.gps_lat == pytest.approx(-33.865) and fields.gps_lon == pytest.approx(151.21)
    # A box cut short loses what it held, never the read.
    assert raw_exif(data[:60]).taken_at is None


def test_damaged_raw_files_get_readable_reasons(tmp_path: Path) -> None:
    whole = write_dng(tmp_path / "whole.dng", preview=None).read_bytes()
    cases = {
        "truncated.dng": (whole[: len(whole) // 2], "truncated or corrupt RAW data"),
        "cut_header.CR2": (whole[:100], "truncated or corrupt RAW data"),
        "noise.nef": (bytes(range(256)) * 200, "not a RAW file"),
        "renamed.arw": (_jpeg_bytes(), "not a RAW file: the file is a JPEG image"),
        "notes.rw2": (b"shopping list\n" * 50, "not an image: the file looks like text"),
        "empty.dng": (b"", "empty file (0 bytes)"),
    }
    for name, (data, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        for read in (lambda p: load_photo(p, 224), lambda p: make_thumbnail(p, 128)):
            with pytest.raises(ImageLoadError) as caught:
                read(path)
            assert caught.value.reason.startswith(reason), (name, caught.value.reason)


def _jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), RED).save(out, "JPEG")
    return out.getvalue()


def test_a_damaged_preview_falls_back_to_the_raw_data(tmp_path: Path) -> None:
    # A greenish photo-like preview (noise: JPEG data that does not repeat itself).
    noise = np.random.default_rng(7).integers(0, 90, (768, 1024, 3), dtype=np.uint8)
    greenish = Image.fromarray(noise + np.array([0, 140, 0], np.uint8))
    whole = write_dng(tmp_path / "whole.dng", preview=(1024, 768), preview_picture=greenish)
    assert hue(load_photo(whole, 224)[0].getpixel((20, 112))) == "green"
    path = tmp_path / "preview_cut.dng"
    # The preview is stored last: its end is lost. LibRaw still hands out a preview of the
    # full length, its end filled from memory (here, likely, the whole file's just read).
    path.write_bytes(whole.read_bytes()[:-2000])
    image, _meta = load_photo(path, 224)
    assert hue(image.getpixel((20, 112))) == "red"


def test_a_raw_beyond_the_pixel_limit_is_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_dng(tmp_path / "huge.dng", size=(640, 480), preview=None)
    monkeypatch.setattr(loading, "MAX_PIXELS", 640 * 480 - 1)
    with pytest.raises(ImageLoadError, match="image too large"):
        load_photo(path, 224)
    monkeypatch.setattr(loading, "MAX_RAW_BYTES", 1000)
    with pytest.raises(ImageLoadError, match="file too large for a RAW photo"):
        read_metadata(path)


def test_demosaicing_holds_the_shared_pixel_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    budget = PixelBudget(10**9)
    monkeypatch.setattr(loading, "DECODE_BUDGET", budget)
    load_photo(write_dng(tmp_path / "bare.dng", size=(640, 480), preview=None), 224)
    assert budget.peak == 640 * 480 and budget.in_use == 0
    budget = PixelBudget(10**9)
    monkeypatch.setattr(loading, "DECODE_BUDGET", budget)
    load_photo(write_dng(tmp_path / "preview.dng", preview=(1024, 768)), 224)
    assert 0 < budget.peak <= 1024 * 768 and budget.in_use == 0  # the preview's decode


def test_raws_decode_the_same_on_several_threads_at_once(tmp_path: Path) -> None:
    paths = [write_dng(tmp_path / f"{n}.dng", preview=None if n % 2 else (1024, 768))
             for n in range(4)]
    expected = [np.asarray(load_photo(p, 128)[0]) for p in paths]
    results: dict[int, list[np.ndarray]] = {n: [] for n in range(len(paths))}

    def work(n: int) -> None:
        for _ in range(3):
            results[n].append(np.asarray(load_photo(paths[n], 128)[0]))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(paths))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n, found in results.items():
        assert len(found) == 3 and all(np.array_equal(a, expected[n]) for a in found)


def test_raw_files_are_indexed_and_a_damaged_one_is_listed_with_its_reason(
    library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.cli.main import main

    root = tmp_path / "camera"
    write_dng(root / "IMG_0001.CR2", preview=(1024, 768), orientation=6)
    write_dng(root / "IMG_0002.NEF", preview=None)
    make_photo(root / "holiday.jpg", 3)
    (root / "IMG_0003.ARW").write_bytes(write_dng(tmp_path / "x.dng").read_bytes()[:300])
    library.add_folder(root)
    summary = library.index()
    assert summary.scanned == 4 and summary.embedded == 3 and summary.failed == 1
    assert summary.unread == 0
    photos = {p.path.name: p for p in library.search_by_name("IMG_")}
    assert set(photos) == {"IMG_0001.CR2", "IMG_0002.NEF", "IMG_0003.ARW"}
    turned = photos["IMG_0001.CR2"]
    assert (turned.width, turned.height) == (480, 640)
    assert str(turned.taken_at).startswith("2021-07-04") and "EOS R5" in (turned.camera or "")
    failures = library.failures()
    assert [(f.path.name, f.kind) for f in failures] == [("IMG_0003.ARW", "failed")]
    assert failures[0].reason == "truncated or corrupt RAW data"
    library.close()
    capsys.readouterr()
    assert main(["--model", TINY_MODEL, "failures"]) == 0
    assert capsys.readouterr().out.strip().endswith("IMG_0003.ARW: truncated or corrupt RAW data")


def test_raw_files_damaged_at_random_end_as_a_picture_or_a_reason(tmp_path: Path) -> None:
    # Bytes flipped in the header and IFDs (where the structure is), cut at random lengths:
    # every outcome is a picture or a readable reason, never another exception.
    import random

    rnd = random.Random(12)
    whole = write_dng(tmp_path / "whole.dng", size=(128, 96), preview=(256, 192)).read_bytes()
    reasons: set[str] = set()
    for case in range(60):
        data = bytearray(whole)
        for _ in range(rnd.randrange(1, 8)):
            data[rnd.randrange(0, 600)] = rnd.randrange(256)
        if case % 3 == 0:
            data = data[: rnd.randrange(8, len(data))]
        path = tmp_path / f"case{case}.dng"
        path.write_bytes(bytes(data))
        for read in (lambda p: load_photo(p, 64), lambda p: make_thumbnail(p, 64),
                     read_metadata):
            try:
                result = read(path)
            except ImageLoadError as exc:
                reasons.add(exc.reason)
                continue
            picture = result[0] if isinstance(result, tuple) else result
            if isinstance(picture, Image.Image):
                assert picture.mode == "RGB" and min(picture.size) >= 1
    assert reasons and all(reason and not reason.startswith("<") for reason in reasons)
