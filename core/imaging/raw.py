"""RAW photos (DNG, CR2, CR3, NEF, ARW, RAF, ORF, RW2, ...) through LibRaw, by way of rawpy.

A camera's RAW file holds the sensor's mosaic and, almost always, a JPEG the camera rendered from
it. That preview is what ``core.imaging.loading`` uses when it is large enough (see
``PREVIEW_FACTOR``): no demosaicing, and the camera's own colours. Otherwise LibRaw demosaics at
half size (each 2x2 Bayer block becomes one pixel: no interpolation, several times faster than a
full demosaic, and still far more pixels than any model or thumbnail needs).

The date taken, camera and GPS position come from the RAW itself, read with Pillow's EXIF parser
(so the same hardened field rules as JPEGs apply, core.imaging.exif):

- TIFF-like containers (DNG, CR2, NEF, NRW, ARW, SRF, SR2, PEF, SRW, ORF, RW2, RWL, 3FR, ERF, DCR,
  KDC, IIQ, MOS): IFD0 and its Exif and GPS IFDs, read in place. ORF and RW2 only change the TIFF
  magic number, which is put right first.
- CR3 (an ISO media file): Canon's CMT1 (IFD0), CMT2 (Exif) and CMT4 (GPS) boxes, each a TIFF.
- Whatever is still missing (RAF, CRW, MRW, X3F, and RW2's date and GPS, which Panasonic keeps in
  the embedded JPEG) comes from the EXIF of the embedded preview as LibRaw extracts it: the
  camera's own where the preview has one (Fujifilm's, Panasonic's), else a header LibRaw writes
  from what it read of the RAW (its makers' notes included).

The orientation is LibRaw's, which also reads the makers' own notes; previews are stored the way
the sensor saw the scene, like the mosaic, so the same turn applies to both.

Nothing here touches the file system: callers hand over the bytes of a file they opened safely.
LibRaw's errors become an :class:`ImageLoadError` with a reason a person can read.
"""

from __future__ import annotations

import io
import logging
import re
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from PIL import Image

from core.errors import ImageLoadError
from core.imaging.exif import ExifFields, gps_position, parse_exif
from core.imaging.formats import RAW_EXTENSIONS
from core.imaging.reasons import REASON_MEMORY, looks_like_text, os_reason

log = logging.getLogger(__name__)

try:
    import rawpy
except ImportError:  # a source install without the wheel: RAW files are listed as not read
    rawpy = None  # type: ignore[assignment]

# Sigma's Foveon files need LibRaw's X3F tools, which a LibRaw build may leave out.
_NEEDS_FLAG = {".x3f": "X3FTOOLS"}


def _readable() -> frozenset[str]:
    if rawpy is None:
        return frozenset()
    flags = getattr(rawpy, "flags", None) or {}
    return frozenset(
        ext for ext in RAW_EXTENSIONS if ext not in _NEEDS_FLAG or flags.get(_NEEDS_FLAG[ext])
    )


RAW_READ_EXTENSIONS: frozenset[str] = _readable()

# The embedded preview is used when its shortest side is at least this many times the size
# asked for. At 2x, scaling down averages 2x2 or more preview pixels into each one the model
# sees: as sharp as our own demosaic would give, at a fraction of the cost. A smaller preview
# (160x120 thumbnails of older cameras, 1024 px previews of converted DNGs against a 512 px
# model) would be resampled by less than that, softening edges and, below 1x, enlarging; such
# files are demosaiced instead.
PREVIEW_FACTOR = 2

REASON_RAW_UNSUPPORTED = (
    "a RAW file LibRaw cannot read: damaged, or from a camera it does not know yet"
)
REASON_NOT_RAW = "not a RAW file: LibRaw does not recognise its contents"
REASON_RAW_CORRUPT = "truncated or corrupt RAW data"
REASON_RAW_TOO_BIG = "image too large: LibRaw refuses to decode a RAW this big"

# LibRaw's ``flip`` (dcraw's bits: 1 mirror columns, 2 mirror rows, 4 swap axes) as the EXIF
# orientation that undoes it.
_FLIP_TO_ORIENTATION = {0: 1, 1: 2, 2: 4, 3: 3, 4: 5, 5: 8, 6: 6, 7: 7}

_TIFF_MAGIC = {b"II": b"II*\x00", b"MM": b"MM\x00*"}
# Olympus ORF ("IIRO", "IIRS", "MMOR") and Panasonic RW2/RWL ("IIU\0") are TIFF with their own
# magic number in place of 42.
_ODD_MAGIC = re.compile(rb"^(II|MM)(RO|RS|OR|U\x00)")
# How each RAW container starts: a file that does and still fails is a damaged RAW, or a camera
# newer than this LibRaw; one that does not was never a RAW file.
_RAW_STARTS = (
    b"II*\x00", b"MM\x00*", b"IIRO", b"IIRS", b"MMOR", b"IIU\x00", b"FUJIFILM", b"\x00MRM",
    b"FOVb", b"II\x1a\x00\x00\x00HEAPCCDR",
)
# What LibRaw writes as the date taken of a RAW it found no date in: its time 0, local time.
_NO_DATE = datetime.fromtimestamp(0)
_HEAD_BYTES = 64
_CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")


@dataclass(frozen=True)
class Preview:
    """The camera's own rendering inside the RAW: JPEG bytes, or RGB pixels (``array``)."""

    jpeg: bytes | None = None
    array: np.ndarray | None = None


def _unsupported_reason(data: bytes) -> str:
    """Why LibRaw refused a file at its first look, from its first bytes."""
    if data.startswith(_RAW_STARTS) or data[4:12] == b"ftypcrx ":
        return REASON_RAW_UNSUPPORTED
    if data.startswith(b"\xff\xd8\xff"):
        return "not a RAW file: the file is a JPEG image"
    if looks_like_text(data[:512]):
        return "not an image: the file looks like text"
    return REASON_NOT_RAW


def _libraw_reason(exc: BaseException, data: bytes) -> str:
    """A LibRaw failure in words (rawpy raises OSError with an errno for I/O errors)."""
    if rawpy is not None:
        if isinstance(exc, rawpy.LibRawFileUnsupportedError):
            return _unsupported_reason(data)
        if isinstance(exc, rawpy.LibRawTooBigError):
            return REASON_RAW_TOO_BIG
        if isinstance(exc, rawpy.LibRawUnsufficientMemoryError | rawpy.LibRawMemPoolOverflowError):
            return REASON_MEMORY
        if isinstance(exc, rawpy.LibRawError):  # I/O past the end, data errors, bad crops...
            return REASON_RAW_CORRUPT
    if isinstance(exc, MemoryError):
        return REASON_MEMORY
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_reason(exc)
    return REASON_RAW_CORRUPT


@contextmanager
def _libraw_errors(data: bytes) -> Iterator[None]:
    try:
        yield
    except ImageLoadError:
        raise
    except (OSError, MemoryError, ValueError, NotImplementedError) as exc:
        raise ImageLoadError(_libraw_reason(exc, data)) from exc
    except Exception as exc:
        if rawpy is not None and isinstance(exc, rawpy.LibRawError):
            raise ImageLoadError(_libraw_reason(exc, data)) from exc
        raise


class RawFile:
    """One RAW file opened by LibRaw from its bytes; close it (or use ``with``)."""

    def __init__(self, data: bytes) -> None:
        if rawpy is None:
            raise ImageLoadError("RAW support (rawpy) is not installed")
        self._data = data
        self._raw = rawpy.RawPy()
        try:
            with _libraw_errors(data):
                # open_buffer parses the header only (and releases the GIL); pixels are
                # unpacked later, and only when demosaic() is called.
                self._raw.open_buffer(io.BytesIO(data))
                sizes = self._raw.sizes
        except BaseException:
            self._raw.close()
            raise
        self.size: tuple[int, int] = (int(sizes.width), int(sizes.height))  # as stored
        self.orientation = _FLIP_TO_ORIENTATION.get(int(sizes.flip), 1)
        self._preview: Preview | None = None
        self._preview_read = False

    def __enter__(self) -> RawFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._raw.close()

    def preview(self) -> Preview | None:
        """The largest embedded preview, None when there is none or LibRaw cannot extract it
        (a damaged preview does not make the RAW unreadable: it is demosaiced instead)."""
        if not self._preview_read:
            self._preview_read = True
            self._preview = self._extract_preview()
        return self._preview

    def _extract_preview(self) -> Preview | None:
        assert rawpy is not None
        try:
            thumb = self._raw.extract_thumb()
        except (rawpy.LibRawError, OSError, MemoryError, NotImplementedError) as exc:
            log.debug("no usable preview: %s", exc)
            return None
        if thumb.format == rawpy.ThumbFormat.JPEG and isinstance(thumb.data, bytes):
            if not _stored_in(self._data, thumb.data):
                log.debug("the preview runs past the end of the file")
                return None
            return Preview(jpeg=thumb.data)
        data = thumb.data
        if isinstance(data, np.ndarray) and data.ndim == 3 and data.shape[2] == 3:
            return Preview(array=np.ascontiguousarray(data, dtype=np.uint8))
        return None

    def demosaic(self) -> np.ndarray:
        """The picture at half size as 8-bit RGB (height x width x 3), not yet turned upright.

        Camera white balance, LibRaw's default sRGB output and auto brightness: the look of an
        ordinary photo, which is what the model was trained on.
        """
        with _libraw_errors(self._data):
            rgb = self._raw.postprocess(
                half_size=True, use_camera_wb=True, output_bps=8, user_flip=0
            )
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ImageLoadError(REASON_RAW_CORRUPT)
        return np.ascontiguousarray(rgb)

    def exif(self) -> ExifFields:
        """Date taken, camera and GPS from the RAW container, then its preview; LibRaw's
        orientation."""
        found = raw_exif(self._data)
        if None in (found.taken_at, found.camera_make, found.camera_model, found.gps_lat):
            preview = self.preview()
            if preview is not None and preview.jpeg is not None:
                found = _merged(found, _jpeg_exif(preview.jpeg))
        return replace(found, orientation=self.orientation)  # LibRaw's, as the pixels turn


def _stored_in(data: bytes, jpeg: bytes) -> bool:
    """Whether the preview LibRaw handed out lies whole in the file. From a truncated file,
    LibRaw hands out a preview at its full length all the same, the part past the end being
    whatever its memory held before (another photo's bytes, even): such a preview is damaged,
    not the photo. LibRaw may also have put an EXIF header of its own after the JPEG's first
    marker (see _jpeg_exif), so the file holds what follows the marker or that header.
    (A search of the file: at worst some 8 ms for 50 MB, a memory comparison once found.)"""
    bodies = [jpeg[2:]]
    if jpeg[2:4] == b"\xff\xe1":
        bodies.append(jpeg[4 + int.from_bytes(jpeg[4:6], "big") :])
    whole = memoryview(data)
    for body in bodies:
        head = body[:_HEAD_BYTES]
        if len(head) < _HEAD_BYTES:
            continue
        at = data.find(head)
        while at >= 0:
            if whole[at : at + len(body)] == body:
                return True
            at = data.find(head, at + 1)
    return False


def raw_exif(data: bytes) -> ExifFields:
    """EXIF fields of a RAW file's container (TIFF-like or CR3); empty when neither."""
    if data[:2] in _TIFF_MAGIC:
        return _tiff_exif(data)
    if data[4:12] == b"ftypcrx ":
        return _cr3_exif(data)
    return ExifFields()


def _exif_from(data: bytes) -> Image.Exif | None:
    """Pillow's lazy EXIF reader over a TIFF structure (offsets from its first byte)."""
    head = _ODD_MAGIC.match(data)
    if head is not None:  # the magic number put right (a copy, once per ORF or RW2 read)
        data = _TIFF_MAGIC[head[1]] + data[4:]
    exif = Image.Exif()
    try:
        exif.load_from_fp(io.BytesIO(data))
    except Exception:  # hostile bytes: no EXIF, as for a JPEG (see core.imaging.exif)
        return None
    return exif


def _tiff_exif(data: bytes) -> ExifFields:
    return parse_exif(_exif_from(data))


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """ISO media boxes between ``start`` and ``end``: (type, body start, body end)."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1 and pos + 16 <= end:
            size, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return  # a damaged box: what came before it is kept
        yield kind, pos + header, pos + size
        pos += size


def _canon_boxes(data: bytes) -> dict[bytes, bytes]:
    """The CMT boxes of a CR3 (moov > uuid(Canon) > CMT1..CMT4), each the bytes of a TIFF."""
    found: dict[bytes, bytes] = {}
    for kind, body, end in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for inner, inner_body, inner_end in _boxes(data, body, end):
            if inner != b"uuid" or data[inner_body : inner_body + 16] != _CANON_UUID:
                continue
            for box, box_body, box_end in _boxes(data, inner_body + 16, inner_end):
                if box in (b"CMT1", b"CMT2", b"CMT4"):
                    found[box] = data[box_body:box_end]
    return found


def _cr3_exif(data: bytes) -> ExifFields:
    try:
        boxes = _canon_boxes(data)
    except struct.error:
        return ExifFields()
    main = parse_exif(_exif_from(boxes[b"CMT1"])) if b"CMT1" in boxes else ExifFields()
    # CMT2 is the Exif IFD on its own: its dates stand in IFD0, where parse_exif looks too.
    shot = parse_exif(_exif_from(boxes[b"CMT2"])) if b"CMT2" in boxes else ExifFields()
    gps_exif = _exif_from(boxes[b"CMT4"]) if b"CMT4" in boxes else None
    position = gps_position(dict(gps_exif)) if gps_exif is not None else None
    return ExifFields(
        orientation=main.orientation,
        taken_at=shot.taken_at or main.taken_at,
        camera_make=main.camera_make,
        camera_model=main.camera_model,
        gps_lat=position[0] if position else None,
        gps_lon=position[1] if position else None,
    )


def _jpeg_exif(jpeg: bytes) -> ExifFields:
    """The EXIF of a preview as LibRaw hands it out. A preview without EXIF of its own gets
    LibRaw's: make, model, date and GPS as LibRaw read them from the RAW (its makers' notes
    included), and the date 1970-01-01 (the epoch, in local time) when it found none."""
    try:
        with Image.open(io.BytesIO(jpeg), formats=("JPEG",)) as im:
            found = parse_exif(_guarded_exif(im))
    except Exception:  # a damaged preview has no EXIF to give
        return ExifFields()
    if found.taken_at == _NO_DATE:
        found = replace(found, taken_at=None)
    return found


def _guarded_exif(im: Image.Image) -> Image.Exif | None:
    try:
        return im.getexif()
    except Exception:
        return None


def _merged(first: ExifFields, then: ExifFields) -> ExifFields:
    """``first``'s fields, each missing one taken from ``then`` (a position goes whole)."""
    has_place = first.gps_lat is not None and first.gps_lon is not None
    return ExifFields(
        orientation=first.orientation,
        taken_at=first.taken_at or then.taken_at,
        camera_make=first.camera_make or then.camera_make,
        camera_model=first.camera_model or then.camera_model,
        gps_lat=first.gps_lat if has_place else then.gps_lat,
        gps_lon=first.gps_lon if has_place else then.gps_lon,
    )

