"""Open photos safely and cheaply: one read, bounded size, EXIF orientation, RGB out.

Every photo on a user's disk is untrusted input. Whatever goes wrong becomes an
:class:`ImageLoadError` whose ``reason`` a person can read; nothing here writes to the photo, its
folder, or process-wide Pillow settings (workers call this from several threads at once).
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageFile, UnidentifiedImageError, features

from core.errors import ImageLoadError
from core.imaging.exif import ExifFields, read_exif
from core.imaging.formats import is_video, unread_reason
from core.imaging.pixel_budget import PixelBudget
from core.imaging.raw import PREVIEW_FACTOR, RAW_READ_EXTENSIONS, RawFile
from core.imaging.reasons import (
    REASON_CORRUPT,
    REASON_EMPTY,
    REASON_FOLDER,
    REASON_MEMORY,
    REASON_NOT_REGULAR,
    os_reason,
    sniff_reason,
)

log = logging.getLogger(__name__)

MAX_PIXELS: int = 180_000_000
# Pixels decoded at once by all threads together: two of the largest photos allowed.
DECODE_BUDGET = PixelBudget(2 * MAX_PIXELS)


def _pillow_reads_avif() -> bool:
    try:
        return bool(features.check_module("avif"))
    except ValueError:  # Pillow < 11.2 does not know the module name
        return False


try:
    import pillow_heif
except ImportError:
    _HEIF_AVAILABLE = False
else:
    pillow_heif.register_heif_opener()
    # Older pillow_heif builds could also read AVIF; newer Pillow reads it natively.
    if not _pillow_reads_avif() and hasattr(pillow_heif, "register_avif_opener"):
        pillow_heif.register_avif_opener()
    _HEIF_AVAILABLE = True

Image.init()
# Only formats a camera or phone produces. Restricting Image.open to them keeps exotic plugins
# (EPS runs Ghostscript, and many loose sniffers accept random bytes) away from hostile files.
_FORMATS: tuple[str, ...] = tuple(
    f for f in ("JPEG", "PNG", "WEBP", "TIFF", "BMP", "GIF", "HEIF", "AVIF") if f in Image.OPEN
)
_AVIF_AVAILABLE = "AVIF" in _FORMATS

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif", ".heic", ".heif"}
    | ({".avif"} if _AVIF_AVAILABLE else set())
    | RAW_READ_EXTENSIONS  # through LibRaw (core.imaging.raw)
)

# Process-wide warning filters are left alone on purpose (workers run in threads, and the app
# decides where warnings go). Pillow may therefore warn, without failing, about photos between
# Image.MAX_IMAGE_PIXELS (~89 MP) and our MAX_PIXELS, and about damaged EXIF directories that
# core.exif already treats as absent.

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    # A FIFO named photo.jpg must not block a worker forever; no effect on regular files.
    | getattr(os, "O_NONBLOCK", 0)
)
_WHITE = (255, 255, 255)
_ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})
_HIGH_DEPTH_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I", "F"})
# Orientation tag -> the transform that turns stored pixels into what the camera saw.
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

@dataclass(frozen=True)
class PhotoMetadata:
    width: int  # as displayed, i.e. after EXIF orientation
    height: int
    orientation: int  # EXIF orientation 1..8 (1 when absent or invalid)
    taken_at: datetime | None  # naive local time
    camera_make: str | None
    camera_model: str | None
    gps_lat: float | None
    gps_lon: float | None
    format: str  # Pillow format name, e.g. "JPEG"


def is_supported(path: Path) -> bool:
    """True when the file name has a photo extension we can decode, or is a video we read
    (core.imaging.video)."""
    return path.suffix.lower() in SUPPORTED_EXTENSIONS or is_video(path)


def not_read_reason(path: Path) -> str | None:
    """Why a picture file (RAW, video, ...) is not read here; None for a photo we read or a
    file that is no picture at all."""
    return unread_reason(path, SUPPORTED_EXTENSIONS)


def load_photo(path: Path, min_side: int) -> tuple[Image.Image, PhotoMetadata]:
    """Decode ``path`` for the model: RGB, upright, shortest side ``min_side`` (never upscaled)."""
    if min_side < 1:
        raise ValueError(f"min_side must be >= 1, got {min_side}")
    if _is_raw(path):
        return _load_raw(path, min_side)
    with _opened(path) as im:
        declared = im.size
        target = _cover_size(declared, min_side)
        image = _decode(im, target)
        # After decoding, because a PNG may keep its eXIf chunk behind the pixel data.
        fields = read_exif(im, allow_decode=True)
        meta = _metadata(declared, im.format, fields)
        return _orient(image, fields.orientation), meta


def read_metadata(path: Path) -> PhotoMetadata:
    """Size, orientation, date, camera and GPS from the header only; pixels are not decoded."""
    if _is_raw(path):
        with _raw_opened(path) as raw:
            return _metadata(raw.size, _raw_format(path), raw.exif())
    with _opened(path) as im:
        return _metadata(im.size, im.format, read_exif(im, allow_decode=False))


def make_thumbnail(path: Path, max_side: int) -> Image.Image:
    """RGB, upright thumbnail with longest side ``max_side`` (smaller images are not upscaled)."""
    if max_side < 1:
        raise ValueError(f"max_side must be >= 1, got {max_side}")
    if _is_raw(path):
        with _raw_opened(path) as raw:
            image = _raw_picture(
                raw, lambda size: max(size) >= max_side, lambda size: _fit_size(size, max_side)
            )
            return _orient(image, raw.orientation)
    with _opened(path) as im:
        image = _decode(im, _fit_size(im.size, max_side))
        return _orient(image, read_exif(im, allow_decode=True).orientation)


# --- opening -------------------------------------------------------------------------------------


@contextmanager
def _opened(path: Path) -> Iterator[ImageFile.ImageFile]:
    """Open ``path`` once, refuse what is not a plain non-empty file or is too large to decode.

    The body of the ``with`` runs inside the same error translation, so decode failures also come
    out as ImageLoadError.
    """
    fh = open_checked(path)
    with fh, _translated_errors(fh):
        im = Image.open(fh, formats=_FORMATS)
        with im:
            _check_size(im.size)
            yield im


def open_checked(path: Path) -> BinaryIO:
    """A read handle on ``path`` if it is a plain, non-empty file; ImageLoadError otherwise."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ImageLoadError(os_reason(exc)) from exc
    try:
        # fstat the descriptor we will read, not the path: the file may change in between.
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ImageLoadError(REASON_FOLDER)
        if not stat.S_ISREG(info.st_mode):
            raise ImageLoadError(REASON_NOT_REGULAR)
        if info.st_size == 0:
            raise ImageLoadError(REASON_EMPTY)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_size(size: tuple[int, int]) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise ImageLoadError(f"corrupt image header: it declares {width}x{height} pixels")
    if width * height > MAX_PIXELS:
        raise ImageLoadError(
            f"image too large: {width}x{height} pixels (limit {MAX_PIXELS // 1_000_000} megapixels)"
        )


@contextmanager
def _translated_errors(fh: BinaryIO) -> Iterator[None]:
    try:
        yield
    except ImageLoadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # The warning only arrives here as an exception when warnings are turned into errors.
        # Pillow refuses on its own, while reading the header, above 2 x Image.MAX_IMAGE_PIXELS
        # (about 179 MP by default, just under MAX_PIXELS). Its message has the pixel count only.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"{int(found[1]) // 1_000_000} megapixels" if found else "too many pixels"
        raise ImageLoadError(
            f"image too large: {size} (limit {MAX_PIXELS // 1_000_000} megapixels)"
        ) from exc
    except UnidentifiedImageError as exc:  # before OSError: it is a subclass
        raise ImageLoadError(sniff_reason(fh, _HEIF_AVAILABLE, _AVIF_AVAILABLE)) from exc
    except MemoryError as exc:
        raise ImageLoadError(REASON_MEMORY) from exc
    except OSError as exc:
        if exc.errno is not None:
            raise ImageLoadError(os_reason(exc)) from exc
        if "not available" in str(exc):  # e.g. "decoder group4 not available"
            raise ImageLoadError("unsupported compression in this file") from exc
        raise ImageLoadError(REASON_CORRUPT) from exc
    except (
        SyntaxError,
        ValueError,
        TypeError,
        IndexError,
        KeyError,
        struct.error,
        EOFError,
        ZeroDivisionError,
        OverflowError,
        RecursionError,
    ) as exc:
        # Pillow plugins raise all of these on malformed data. Logged with the traceback in case
        # one is really our bug; the user only needs to know the file is damaged.
        log.debug("decoder failed on hostile data", exc_info=True)
        raise ImageLoadError(REASON_CORRUPT) from exc


# --- decoding ------------------------------------------------------------------------------------


def _cover_size(size: tuple[int, int], min_side: int) -> tuple[int, int]:
    """Scale so the shortest side is ``min_side``; never upscale."""
    width, height = size
    short = min(width, height)
    if short <= min_side:
        return size
    if width <= height:
        return min_side, max(min_side, round(height * min_side / width))
    return max(min_side, round(width * min_side / height)), min_side


def _fit_size(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """Scale so the longest side is ``max_side``; never upscale."""
    width, height = size
    if max(width, height) <= max_side:
        return size
    if width >= height:
        return max_side, max(1, round(height * max_side / width))
    return max(1, round(width * max_side / height)), max_side


def _decode(im: ImageFile.ImageFile, target: tuple[int, int]) -> Image.Image:
    """Decode ``im`` to RGB at exactly ``target`` (in stored, un-rotated orientation)."""
    if target != im.size:
        # JPEG only (a no-op elsewhere): libjpeg decodes at 1/2, 1/4 or 1/8 scale. Pillow picks
        # the largest factor that keeps *both* sides >= the requested ones, so asking for the
        # final size keeps the shortest side >= min_side in landscape and portrait alike.
        im.draft("RGB", target)
    # im.size is now what will really be decoded (draft shrank it for a JPEG).
    with DECODE_BUDGET.hold(im.size[0] * im.size[1]):
        im.load()
        image: Image.Image = im
        if image.mode in ("P", "1") or image.mode in _HIGH_DEPTH_MODES:
            # Palette and bilevel images only resize with NEAREST; Pillow cannot reduce or
            # resample 16-bit ones (mode I;16) at all: convert first.
            image = _to_rgb(image)
        if image.size != target:
            # reducing_gap: box-reduce by an integer factor first, then LANCZOS for the rest.
            image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        return _to_rgb(image) if image.mode != "RGB" or image is im else image


def _to_rgb(im: Image.Image) -> Image.Image:
    """A new RGB image; transparency is composited on white, 16/32-bit data rescaled."""
    if im.mode in _HIGH_DEPTH_MODES:
        im = _high_depth_to_l(im)
    if im.mode in _ALPHA_MODES or "transparency" in im.info:
        rgba = im.convert("RGBA")
        out = Image.new("RGB", rgba.size, _WHITE)
        out.paste(rgba, mask=rgba.getchannel("A"))
        return out
    return im.convert("RGB")  # also copies an RGB image, so the result never shares the file


def _high_depth_to_l(im: Image.Image) -> Image.Image:
    # Pillow's convert("L") clips 16-bit values at 255, which turns most scans white.
    values = np.nan_to_num(np.asarray(im, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    top = float(values.max()) if values.size else 0.0
    if im.mode == "F" and top <= 1.0:
        full = 1.0
    elif top <= 255:
        full = 255.0
    elif top <= 65535:
        full = 65535.0
    else:
        full = top
    scaled = np.clip(values * (255.0 / full) + 0.5, 0, 255).astype(np.uint8)
    return Image.fromarray(scaled)


def _orient(image: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE.get(orientation)
    return image.transpose(method) if method is not None else image


def _metadata(declared: tuple[int, int], fmt: str | None, fields: ExifFields) -> PhotoMetadata:
    width, height = declared
    if fields.orientation in (5, 6, 7, 8):  # these orientations turn the picture by 90 degrees
        width, height = height, width
    return PhotoMetadata(
        width=width,
        height=height,
        orientation=fields.orientation,
        taken_at=fields.taken_at,
        camera_make=fields.camera_make,
        camera_model=fields.camera_model,
        gps_lat=fields.gps_lat,
        gps_lon=fields.gps_lon,
        format=fmt or "unknown",
    )


# --- RAW photos (decoded by LibRaw in core.imaging.raw; checked and sized as above) ---------------

# LibRaw parses a RAW from memory (and without the GIL), so the file is read whole. No camera
# writes anything near this (a 150 MP medium-format RAW is about 300 MB): a larger file is refused
# before it is read.
MAX_RAW_BYTES = 1 << 30


def _is_raw(path: Path) -> bool:
    return path.suffix.lower() in RAW_READ_EXTENSIONS


def _raw_format(path: Path) -> str:
    return path.suffix.lstrip(".").upper()  # "CR2", "DNG": the RAW's kind, as Pillow names JPEG


@contextmanager
def _raw_opened(path: Path) -> Iterator[RawFile]:
    """``path`` opened by LibRaw (header parsed, pixels not unpacked), its size checked."""
    with open_checked(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            if size > MAX_RAW_BYTES:
                raise ImageLoadError(
                    f"file too large for a RAW photo: {size // (1 << 20)} MB "
                    f"(limit {MAX_RAW_BYTES >> 20} MB)"
                )
            data = fh.read()
        except OSError as exc:
            raise ImageLoadError(os_reason(exc)) from exc
        except MemoryError as exc:
            raise ImageLoadError(REASON_MEMORY) from exc
    with RawFile(data) as raw:
        _check_size(raw.size)
        yield raw


def _load_raw(path: Path, min_side: int) -> tuple[Image.Image, PhotoMetadata]:
    with _raw_opened(path) as raw:
        fields = raw.exif()
        image = _raw_picture(
            raw,
            lambda size: min(size) >= PREVIEW_FACTOR * min_side,
            lambda size: _cover_size(size, min_side),
        )
        return _orient(image, fields.orientation), _metadata(raw.size, _raw_format(path), fields)


def _raw_picture(
    raw: RawFile,
    enough: Callable[[tuple[int, int]], bool],
    size_for: Callable[[tuple[int, int]], tuple[int, int]],
) -> Image.Image:
    """The RAW's picture, RGB in stored orientation, at ``size_for(its size)``: the camera's
    embedded preview when ``enough(its size)``, else LibRaw's half-size demosaic."""
    preview = raw.preview()
    if preview is not None:
        try:
            image = _preview_picture(preview.jpeg, preview.array, enough, size_for)
        except ImageLoadError as exc:  # a damaged preview: the RAW data may still be fine
            log.debug("RAW preview unusable (%s); demosaicing instead", exc.reason)
            image = None
        if image is not None:
            return image
    width, height = raw.size
    with DECODE_BUDGET.hold(width * height):  # LibRaw holds the mosaic and the half-size image
        image = Image.fromarray(raw.demosaic())
        target = size_for(image.size)
        if target != image.size:
            image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        return image


def _preview_picture(
    jpeg: bytes | None,
    array: np.ndarray | None,
    enough: Callable[[tuple[int, int]], bool],
    size_for: Callable[[tuple[int, int]], tuple[int, int]],
) -> Image.Image | None:
    """The embedded preview at ``size_for(its size)``; None when it is not ``enough``."""
    if array is not None:
        image = Image.fromarray(array)
        if not enough(image.size):
            return None
        target = size_for(image.size)
        return image.resize(target, Image.Resampling.LANCZOS) if target != image.size else image
    if jpeg is None:
        return None
    fh = io.BytesIO(jpeg)
    with _translated_errors(fh), Image.open(fh, formats=("JPEG",)) as im:
        _check_size(im.size)
        if not enough(im.size):
            return None
        return _decode(im, size_for(im.size))
