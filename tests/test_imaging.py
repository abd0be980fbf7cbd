"""core.imaging on real files written by the tests: orientation, scaling, colour, EXIF, errors."""

from __future__ import annotations

import errno
import math
import os
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
import skimage.data
from PIL import Image, ImageFile

from core.errors import ImageLoadError
from core.imaging import loading as imaging
from core.imaging.loading import (
    MAX_PIXELS,
    SUPPORTED_EXTENSIONS,
    is_supported,
    load_photo,
    make_thumbnail,
    read_metadata,
)
from tests.corpus import RED, ascii_, jpeg_with_exif, photo, png_declaring, rational, tiff

GREEN = (30, 200, 40)


def _save(image: Image.Image, path: Path, **params: object) -> Path:
    image.save(path, **params)
    return path


def _close(pixel: tuple[int, ...], colour: tuple[int, int, int], tol: int = 40) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(pixel, colour, strict=True))


def _big_astronaut(size: tuple[int, int]) -> Image.Image:
    return Image.fromarray(skimage.data.astronaut()).resize(size, Image.Resampling.BILINEAR)


def _reason(path: Path, min_side: int = 224) -> str:
    with pytest.raises(ImageLoadError) as info:
        load_photo(path, min_side)
    return info.value.reason


# --- extensions ----------------------------------------------------------------------------------


def test_supported_extensions() -> None:
    assert {
        ".jpg",
        ".jpeg",
        ".jpe",
        ".png",
        ".webp",
        ".tif",
        ".tiff",
        ".bmp",
        ".gif",
        ".heic",
        ".heif",
    } <= SUPPORTED_EXTENSIONS
    assert all(ext == ext.lower() and ext.startswith(".") for ext in SUPPORTED_EXTENSIONS)
    assert is_supported(Path("a/B.JPG")) and is_supported(Path("x.HeIc"))
    assert not is_supported(Path("notes.txt")) and not is_supported(Path("jpg"))


# --- orientation ---------------------------------------------------------------------------------


def test_orientation_6_swaps_size_and_turns_pixels(tmp_path: Path) -> None:
    # Stored landscape, red in the stored top-left. Orientation 6 means "turn 90 degrees
    # clockwise to view", so red must end up in the top-right of a portrait picture.
    stored = Image.new("RGB", (120, 80), GREEN)
    stored.paste(RED, (0, 0, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    path = _save(stored, tmp_path / "rotated.jpg", quality=95, exif=exif.tobytes())

    image, meta = load_photo(path, 224)
    assert (meta.width, meta.height, meta.orientation) == (80, 120, 6)
    assert image.size == (80, 120)
    assert _close(image.getpixel((75, 5)), RED)
    assert _close(image.getpixel((5, 5)), GREEN)
    assert read_metadata(path) == meta

    thumb = make_thumbnail(path, 60)
    assert thumb.size == (40, 60) and _close(thumb.getpixel((37, 2)), RED)


@pytest.mark.filterwarnings("ignore:Tag data larger than file:UserWarning")
def test_broken_exif_does_not_stop_orientation_or_loading(tmp_path: Path) -> None:
    body = tiff([(0x0112, 3, 1, b"\x08\x00\x00\x00"), (0x010F, 2, 0x7FFFFFFF, b"\xff\xff\xff\x00")])
    path = tmp_path / "hostile.jpg"
    path.write_bytes(jpeg_with_exif(body))
    image, meta = load_photo(path, 224)
    assert meta.orientation == 8 and meta.camera_make is None
    assert image.size == (64, 96)  # orientation 8 turns the 96x64 picture upright


# --- scaling -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(4000, 3000), (3000, 4000), (2400, 1800), (1791, 1792)])
@pytest.mark.parametrize("min_side", [224, 300, 256])
def test_draft_keeps_shortest_side(tmp_path: Path, size: tuple[int, int], min_side: int) -> None:
    path = _save(_big_astronaut(size), tmp_path / "big.jpg", quality=85)
    image, meta = load_photo(path, min_side)
    assert min(image.size) == min_side
    assert abs(image.size[0] / image.size[1] - size[0] / size[1]) < 0.01
    assert (meta.width, meta.height) == size


def test_jpeg_decodes_at_reduced_scale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _save(_big_astronaut((4000, 3000)), tmp_path / "big.jpg", quality=85)
    decoded: list[tuple[int, int]] = []
    real_load = ImageFile.ImageFile.load

    def spy(self: ImageFile.ImageFile) -> object:
        decoded.append(self.size)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    load_photo(path, 224)
    # libjpeg scaled by 1/8 while decoding: 500x375, never the 12 MP original.
    assert decoded and decoded[0] == (500, 375)


def test_a_12_megapixel_jpeg_is_decoded_at_reduced_scale(tmp_path: Path, monkeypatch) -> None:
    """libjpeg decodes at 1/8 of the size here: the model needs 224 pixels, not 12 million.
    (How much faster that is is measured by benchmarks/bench_decode.py.)"""
    from core.imaging import loading as imaging
    from core.imaging.pixel_budget import PixelBudget

    path = _save(
        Image.effect_noise((4000, 3000), 60).convert("RGB"), tmp_path / "12mp.jpg", quality=90
    )
    budget = PixelBudget(imaging.DECODE_BUDGET.limit)
    monkeypatch.setattr(imaging, "DECODE_BUDGET", budget)
    image, meta = load_photo(path, 224)
    assert min(image.size) == 224 and (meta.width, meta.height) == (4000, 3000)
    assert budget.peak == 500 * 375  # the pixels decoded: 4000 x 3000 scaled by 1/8


def test_never_upscales(tmp_path: Path) -> None:
    path = _save(Image.fromarray(skimage.data.chelsea()), tmp_path / "cat.png")  # 451x300
    image, _ = load_photo(path, 512)
    assert image.size == (451, 300)
    assert make_thumbnail(path, 1000).size == (451, 300)


def test_thumbnail_longest_side(tmp_path: Path) -> None:
    path = _save(Image.fromarray(skimage.data.coffee()), tmp_path / "coffee.jpg")  # 600x400
    thumb = make_thumbnail(path, 150)
    assert thumb.mode == "RGB" and thumb.size == (150, 100)
    portrait = _save(_big_astronaut((1200, 2000)), tmp_path / "tall.webp")
    assert make_thumbnail(portrait, 256).size == (154, 256)


def test_same_file_twice_gives_identical_pixels(tmp_path: Path) -> None:
    path = _save(Image.fromarray(skimage.data.coffee()), tmp_path / "coffee.jpg", quality=90)
    first, meta1 = load_photo(path, 224)
    second, meta2 = load_photo(path, 224)
    assert meta1 == meta2
    assert np.array_equal(np.asarray(first), np.asarray(second))


def test_opens_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _save(Image.fromarray(skimage.data.astronaut()), tmp_path / "a.jpg")
    opened: list[object] = []
    real_open = os.open

    def counting(*args: object, **kwargs: object) -> int:
        opened.append(args[0])
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", counting)
    load_photo(path, 224)
    assert opened == [path]


def test_threads_share_nothing(tmp_path: Path) -> None:
    paths = [
        _save(Image.fromarray(fn()), tmp_path / f"{n}.jpg")
        for n, fn in enumerate((skimage.data.astronaut, skimage.data.chelsea, skimage.data.coffee))
    ]
    expected = [np.asarray(load_photo(p, 128)[0]) for p in paths]
    pillow_limit = Image.MAX_IMAGE_PIXELS
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda p: np.asarray(load_photo(p, 128)[0]), paths * 8))
    assert all(np.array_equal(r, expected[i % 3]) for i, r in enumerate(results))
    assert pillow_limit == Image.MAX_IMAGE_PIXELS
    assert not ImageFile.LOAD_TRUNCATED_IMAGES


# --- colour modes --------------------------------------------------------------------------------


def test_cmyk_jpeg_becomes_rgb(tmp_path: Path) -> None:
    path = _save(photo().convert("CMYK"), tmp_path / "cmyk.jpg", quality=95)
    image, meta = load_photo(path, 224)
    assert image.mode == "RGB" and meta.format == "JPEG"
    assert _close(image.getpixel((2, 2)), RED)


def test_16_bit_greyscale_is_rescaled_not_clipped(tmp_path: Path) -> None:
    ramp = np.tile(np.linspace(0, 65535, 256).astype(np.uint16), (16, 1))
    path = _save(Image.fromarray(ramp), tmp_path / "ramp16.png")
    with Image.open(path) as raw:
        assert raw.mode.startswith("I")
    image, _ = load_photo(path, 224)
    row = np.asarray(image)[8, :, 0].astype(int)
    assert row[0] <= 1 and row[-1] >= 254 and abs(row[128] - 128) <= 2
    assert np.all(np.diff(row) >= 0)  # still a ramp, not a white wall


def test_palette_with_transparency_on_white(tmp_path: Path) -> None:
    image = Image.new("P", (40, 40), 0)
    image.putpalette([0, 0, 0] + list(RED) + [0] * 762)
    image.paste(1, (0, 0, 20, 40))
    path = _save(image, tmp_path / "pal.png", transparency=0)
    loaded, _ = load_photo(path, 224)
    assert loaded.getpixel((5, 5)) == RED
    assert loaded.getpixel((35, 5)) == (255, 255, 255)


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_alpha_composited_on_white(tmp_path: Path, mode: str) -> None:
    image = Image.new("RGBA", (30, 30), (0, 0, 0, 0))
    image.paste((0, 0, 0, 255), (0, 0, 15, 30))
    path = _save(image.convert(mode), tmp_path / "alpha.png")
    loaded, _ = load_photo(path, 224)
    assert loaded.mode == "RGB"
    assert loaded.getpixel((5, 5)) == (0, 0, 0) and loaded.getpixel((25, 5)) == (255, 255, 255)


def test_bilevel_and_animated_first_frame(tmp_path: Path) -> None:
    bilevel = _save(Image.new("1", (30, 20), 1), tmp_path / "one.bmp")
    assert load_photo(bilevel, 224)[0].getpixel((3, 3)) == (255, 255, 255)
    frames = [Image.new("RGB", (30, 20), colour) for colour in (RED, GREEN, (0, 0, 255))]
    for ext in ("gif", "webp"):
        path = _save(
            frames[0],
            tmp_path / f"anim.{ext}",
            save_all=True,
            append_images=frames[1:],
            duration=50,
            lossless=True,
        )
        image, meta = load_photo(path, 224)
        assert _close(image.getpixel((10, 10)), RED, tol=10), ext
        assert meta.format == ext.upper()


# --- EXIF ----------------------------------------------------------------------------------------


def _exif_jpeg(path: Path) -> Path:
    exif = Image.Exif()
    exif[0x010F] = "  Canon\x00"
    exif[0x0110] = "Canon EOS R5"
    exif[0x0132] = "2001:01:01 00:00:00"
    exif.get_ifd(0x8769)[0x9003] = "2023:07:14 18:42:05"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (33.0, 51.0, 54.0), 3: "E", 4: (151.0, 12.0, 36.0)})
    return _save(Image.fromarray(skimage.data.astronaut()), path, exif=exif.tobytes())


def test_exif_date_camera_gps(tmp_path: Path) -> None:
    meta = read_metadata(_exif_jpeg(tmp_path / "sydney.jpg"))
    assert meta.taken_at == datetime(2023, 7, 14, 18, 42, 5)
    assert (meta.camera_make, meta.camera_model) == ("Canon", "Canon EOS R5")
    assert meta.gps_lat is not None and meta.gps_lon is not None
    assert math.isclose(meta.gps_lat, -(33 + 51 / 60 + 54 / 3600), abs_tol=1e-6)
    assert math.isclose(meta.gps_lon, 151 + 12 / 60 + 36 / 3600, abs_tol=1e-6)
    assert (meta.width, meta.height, meta.format) == (512, 512, "JPEG")


def test_hostile_exif_values_become_none(tmp_path: Path) -> None:
    body = tiff(
        [
            (0x010F, *ascii_(b"\xff\xfeNi\x00kon\x01" + b" " * 3)),
            (0x0110, *ascii_(b"Z" * 300)),
            (0x0132, *ascii_(b"0000:00:00 00:00:00")),
        ],
        exif_ifd=[
            (0x9003, *ascii_(b"2019:13:01 10:00:00")),
            (0x9004, *ascii_(b"2019:02:30 10:00:00")),
        ],
        gps_ifd=[
            (1, *ascii_(b"N")),
            (2, *rational((0, 0), (0, 0), (0, 0))),
            (3, *ascii_(b"E")),
            (4, *rational((5, 1), (0, 1), (0, 1))),
        ],
    )
    path = tmp_path / "hostile.jpg"
    path.write_bytes(jpeg_with_exif(body))
    meta = read_metadata(path)
    assert meta.taken_at is None
    assert meta.gps_lat is None and meta.gps_lon is None
    assert meta.camera_make is not None and "\x00" not in meta.camera_make
    assert meta.camera_make.endswith("Nikon")
    assert meta.camera_model == "Z" * 64


def test_read_metadata_does_not_decode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jpeg = _exif_jpeg(tmp_path / "a.jpg")
    png = _save(Image.fromarray(skimage.data.chelsea()), tmp_path / "b.png")

    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixels decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    assert read_metadata(jpeg).camera_model == "Canon EOS R5"
    assert (read_metadata(png).width, read_metadata(png).height) == (451, 300)


# --- errors --------------------------------------------------------------------------------------


def test_bomb_refused_from_the_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: ImageFile.ImageFile) -> None:
        raise AssertionError("a bomb must not be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    path = tmp_path / "bomb.png"
    path.write_bytes(png_declaring(100_000, 100_000))
    start = time.perf_counter()
    reason = _reason(path)
    assert reason.startswith("image too large") and "180 megapixels" in reason
    assert time.perf_counter() - start < 0.5
    with pytest.raises(ImageLoadError, match="too large"):
        read_metadata(path)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_own_pixel_cap_names_the_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Below Pillow's own limit our MAX_PIXELS decides, and can name width and height.
    path = tmp_path / "wide.png"
    path.write_bytes(png_declaring(12_000, 9_000))
    assert read_metadata(path).width == 12_000  # 108 MP is allowed...
    monkeypatch.setattr(imaging, "MAX_PIXELS", 100_000_000)
    assert _reason(path) == "image too large: 12000x9000 pixels (limit 100 megapixels)"
    assert MAX_PIXELS == 180_000_000


def test_error_reasons(tmp_path: Path) -> None:
    good = _save(Image.fromarray(skimage.data.coffee()), tmp_path / "good.jpg")
    data = good.read_bytes()
    cases = {
        "empty.jpg": (b"", "empty file (0 bytes)"),
        "page.jpg": (b"\n<html><body>404</body></html>", "not an image: the file looks like HTML"),
        "notes.jpg": ("café notes\n".encode() * 10, "not an image: the file looks like text"),
        "cut.jpg": (data[: len(data) // 2], "truncated or corrupt image data"),
        "noise.jpg": (bytes(range(256)) * 4, "unsupported or unrecognised image format"),
    }
    for name, (content, reason) in cases.items():
        (tmp_path / name).write_bytes(content)
        assert _reason(tmp_path / name) == reason, name
    assert _reason(tmp_path / "missing.jpg") == "file vanished before it could be read"
    (tmp_path / "folder.jpg").mkdir()
    assert _reason(tmp_path / "folder.jpg") == "this is a folder, not a photo"
    with pytest.raises(ImageLoadError, match="empty"):
        make_thumbnail(tmp_path / "empty.jpg", 128)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _save(Image.new("RGB", (8, 8)), tmp_path / "locked.jpg")
    real_open = os.open

    def deny(target: object, *args: object, **kwargs: object) -> int:
        if target == path:  # root reads through chmod 000, so simulate the refusal
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    assert _reason(path) == "permission denied"


def test_heic_without_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "phone.heic"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    monkeypatch.setattr(imaging, "_HEIF_AVAILABLE", False)
    monkeypatch.setattr(imaging, "_FORMATS", tuple(f for f in imaging._FORMATS if f != "HEIF"))
    assert _reason(path) == "HEIC support is not installed"


def test_heic_round_trip(tmp_path: Path) -> None:
    if not imaging._HEIF_AVAILABLE:
        pytest.skip("pillow_heif is not installed")
    path = tmp_path / "photo.heic"
    try:
        photo().save(path, "HEIF", quality=95)
    except (OSError, KeyError, ValueError) as exc:
        pytest.skip(f"no HEIC encoder here: {exc}")
    image, meta = load_photo(path, 224)
    assert meta.format == "HEIF" and image.size == (96, 64)
    assert _close(image.getpixel((3, 3)), RED)


def test_invalid_sizes_are_programming_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        load_photo(tmp_path / "x.jpg", 0)
    with pytest.raises(ValueError):
        make_thumbnail(tmp_path / "x.jpg", 0)


def test_large_decodes_share_one_pixel_budget(tmp_path, monkeypatch):
    """Four threads decoding big PNGs at once never hold more pixels than the budget."""
    from concurrent.futures import ThreadPoolExecutor

    from core.imaging import loading as imaging
    from core.imaging.pixel_budget import PixelBudget

    paths = []
    for n in range(6):
        path = tmp_path / f"big_{n}.png"
        Image.new("RGB", (1600, 1250), (n * 40, 90, 200)).save(path)  # 2 MP each, no draft
        paths.append(path)
    budget = PixelBudget(3_000_000)  # room for one of them at a time
    monkeypatch.setattr(imaging, "DECODE_BUDGET", budget)
    with ThreadPoolExecutor(4) as pool:
        images = list(pool.map(lambda p: imaging.load_photo(p, 224)[0], paths))
    assert all(min(im.size) == 224 for im in images)
    assert budget.peak == 2_000_000 and budget.in_use == 0
