"""Real RAW files for tests: DNGs written byte by byte that LibRaw decodes.

No RAW sample can be downloaded here, so the tests make their own: a Bayer (RGGB) mosaic of a
known scene, 16 bits a sample, in a raw IFD that IFD0 reaches through SubIFDs, as cameras and
Adobe's converter write them. IFD0 holds either a JPEG preview of another scene (so a test can
tell which path decoded the file) or no picture at all, and the EXIF a camera writes there:
make, model, orientation, the date taken and a GPS position.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image

# TIFF field types
_BYTE, _ASCII, _SHORT, _LONG, _RATIONAL, _UNDEFINED, _SRATIONAL = 1, 2, 3, 4, 5, 7, 10
_SIZES = {_BYTE: 1, _ASCII: 1, _SHORT: 2, _LONG: 4, _RATIONAL: 8, _UNDEFINED: 1, _SRATIONAL: 8}

RED, GREEN, BLUE = (220, 30, 30), (30, 200, 30), (30, 30, 220)


@dataclass
class _Entry:
    tag: int
    kind: int
    values: object  # tuple of numbers, bytes, or ("ifd", index) for a pointer


def scene(width: int, height: int) -> np.ndarray:
    """The RAW's picture: left half red, right half blue (uint8 RGB, height x width)."""
    rgb = np.zeros((height, width, 3), np.uint8)
    rgb[:, : width // 2] = RED
    rgb[:, width // 2 :] = BLUE
    return rgb


def preview_jpeg(
    width: int, height: int, exif: Image.Exif | None = None, picture: Image.Image | None = None
) -> bytes:
    """The preview's picture: all green (so a decode through the preview is told apart), or
    ``picture`` at the preview's size."""
    out = io.BytesIO()
    if picture is None:
        picture = Image.new("RGB", (width, height), GREEN)
    else:
        picture = picture.resize((width, height), Image.Resampling.BILINEAR)
    picture.save(out, "JPEG", quality=90, exif=exif if exif is not None else Image.Exif())
    data = out.getvalue()
    if data[2:4] == b"\xff\xe0":  # Pillow's JFIF segment: cameras start with their EXIF
        data = data[:2] + data[4 + int.from_bytes(data[4:6], "big") :]
    return data


def camera_exif(
    taken_at: datetime | None, make: str, model: str, gps: tuple[float, float] | None
) -> Image.Exif:
    """The EXIF a camera writes into a JPEG, as Pillow builds it."""
    exif = Image.Exif()
    exif[271], exif[272] = make, model
    if taken_at is not None:
        exif.get_ifd(0x8769)[36867] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    if gps is not None:
        lat, lon = gps
        exif.get_ifd(0x8825).update({
            1: "N" if lat >= 0 else "S", 2: (abs(lat), 0.0, 0.0),
            3: "E" if lon >= 0 else "W", 4: (abs(lon), 0.0, 0.0),
        })
    return exif


def _mosaic(rgb: np.ndarray, white: int) -> np.ndarray:
    """RGGB Bayer samples of a linear-light ``rgb`` picture, 16 bits."""
    linear = (rgb.astype(np.float32) / 255.0) ** 2.2 * white
    height, width, _ = rgb.shape
    cfa = np.empty((height, width), np.float32)
    cfa[0::2, 0::2] = linear[0::2, 0::2, 0]
    cfa[0::2, 1::2] = linear[0::2, 1::2, 1]
    cfa[1::2, 0::2] = linear[1::2, 0::2, 1]
    cfa[1::2, 1::2] = linear[1::2, 1::2, 2]
    return np.clip(cfa, 0, white).astype("<u2")


def _rational(value: float) -> tuple[int, int]:
    return round(value * 10000), 10000


def _degrees(value: float) -> tuple[int, ...]:
    d = int(value)
    m = int((value - d) * 60)
    s = (value - d - m / 60) * 3600
    return (d, 1, m, 1, round(s * 100), 100)


class _TiffWriter:
    """Little-endian TIFF: IFDs of entries, their data and strips, offsets fixed at the end."""

    def __init__(self) -> None:
        self.ifds: list[list[_Entry]] = []
        self.blobs: list[bytes] = []  # image data, one per strip entry that names it

    def ifd(self, entries: list[_Entry]) -> int:
        self.ifds.append(entries)
        return len(self.ifds) - 1

    def blob(self, data: bytes) -> int:
        self.blobs.append(data)
        return len(self.blobs) - 1

    def build(self, magic: bytes = b"II*\x00") -> bytes:
        # Layout as cameras write it: header, each IFD followed by its out-of-line values, then
        # the image data (so a truncated file loses pixels, not its structure).
        sizes = [2 + 12 * len(e) + 4 for e in self.ifds]
        ifd_at: list[int] = []
        cursor = 8
        for index, entries in enumerate(self.ifds):
            cursor += cursor % 2
            ifd_at.append(cursor)
            cursor += sizes[index] + sum(
                (n + n % 2) for n in (self._size(e) for e in entries) if n > 4
            )
        blob_at: list[int] = []
        for data in self.blobs:
            cursor += cursor % 2
            blob_at.append(cursor)
            cursor += len(data)
        out = bytearray(magic + struct.pack("<I", ifd_at[0]))
        for index, entries in enumerate(self.ifds):
            if len(out) % 2:
                out += b"\x00"
            assert len(out) == ifd_at[index]
            extra_at = len(out) + sizes[index]
            table = bytearray(struct.pack("<H", len(entries)))
            extra = bytearray()
            for entry in sorted(entries, key=lambda e: e.tag):
                payload = self._payload(entry, ifd_at, blob_at)
                if len(payload) <= 4:
                    field = payload.ljust(4, b"\x00")
                else:
                    field = struct.pack("<I", extra_at + len(extra))
                    extra += payload + (b"\x00" if len(payload) % 2 else b"")
                table += struct.pack("<HHI", entry.tag, entry.kind, self._count(entry)) + field
            table += struct.pack("<I", 0)
            out += table + extra
        for index, data in enumerate(self.blobs):
            if len(out) % 2:
                out += b"\x00"
            assert len(out) == blob_at[index]
            out += data
        return bytes(out)

    def _count(self, entry: _Entry) -> int:
        values = entry.values
        if isinstance(values, bytes):
            return len(values)
        if isinstance(values, tuple) and values and values[0] in ("ifd", "blob"):
            return len(values) // 2
        assert isinstance(values, tuple)
        return len(values) // 2 if entry.kind in (_RATIONAL, _SRATIONAL) else len(values)

    def _size(self, entry: _Entry) -> int:
        return self._count(entry) * _SIZES[entry.kind]

    def _payload(self, entry: _Entry, ifd_at: list[int], blob_at: list[int]) -> bytes:
        values = entry.values
        if isinstance(values, bytes):
            return values
        assert isinstance(values, tuple)
        if values and values[0] in ("ifd", "blob"):
            where = ifd_at if values[0] == "ifd" else blob_at
            return b"".join(struct.pack("<I", where[i]) for i in values[1::2])
        fmt = {_BYTE: "B", _SHORT: "H", _LONG: "I", _RATIONAL: "I", _SRATIONAL: "i",
               _UNDEFINED: "B"}[entry.kind]
        return struct.pack(f"<{len(values)}{fmt}", *values)


def _ascii(tag: int, text: str) -> _Entry:
    return _Entry(tag, _ASCII, text.encode() + b"\x00")


def write_dng(
    path: Path,
    size: tuple[int, int] = (640, 480),
    preview: tuple[int, int] | None = (1024, 768),
    orientation: int = 1,
    taken_at: datetime | None = datetime(2021, 7, 4, 18, 30, 5),
    make: str = "Canon",
    model: str = "Canon EOS R5",
    gps: tuple[float, float] | None = (48.8584, 2.2945),
    magic: bytes = b"II*\x00",
    exif_in_preview: bool = False,
    picture: np.ndarray | None = None,
    preview_picture: Image.Image | None = None,
) -> Path:
    """A DNG LibRaw decodes: the red/blue ``scene`` as a Bayer mosaic, ``preview`` (green) as a
    JPEG in IFD0 when given, EXIF in IFD0 and its Exif and GPS IFDs (or, ``exif_in_preview``,
    only in the preview JPEG, as Panasonic and Fujifilm keep it). ``picture`` (RGB, height x
    width x 3) replaces the scene, ``preview_picture`` the green preview, with real content."""
    width, height = size
    white = 16383
    writer = _TiffWriter()
    shown = scene(width, height) if picture is None else picture
    raw_blob = writer.blob(_mosaic(shown, white).tobytes())
    raw_ifd = [
        _Entry(254, _LONG, (0,)),  # NewSubFileType: the main image
        _Entry(256, _LONG, (width,)), _Entry(257, _LONG, (height,)),
        _Entry(258, _SHORT, (16,)), _Entry(259, _SHORT, (1,)),
        _Entry(262, _SHORT, (32803,)),  # PhotometricInterpretation: CFA
        _Entry(273, _LONG, ("blob", raw_blob)),  # type: ignore[arg-type]
        _Entry(277, _SHORT, (1,)), _Entry(278, _LONG, (height,)),
        _Entry(279, _LONG, (width * height * 2,)), _Entry(284, _SHORT, (1,)),
        _Entry(33421, _SHORT, (2, 2)),  # CFARepeatPatternDim
        _Entry(33422, _BYTE, (0, 1, 1, 2)),  # CFAPattern: RGGB
        _Entry(50714, _LONG, (0,)),  # BlackLevel
        _Entry(50717, _LONG, (white,)),  # WhiteLevel
    ]
    in_preview = camera_exif(taken_at, make, model, gps) if exif_in_preview else None
    if exif_in_preview:
        taken_at, gps = None, None
    ifd0: list[_Entry] = [
        _Entry(254, _LONG, (1,)),  # NewSubFileType: a reduced-resolution preview
        _Entry(274, _SHORT, (orientation,)),
        _Entry(50706, _BYTE, (1, 4, 0, 0)),  # DNGVersion
        _Entry(50707, _BYTE, (1, 1, 0, 0)),  # DNGBackwardVersion
        _ascii(50708, f"{make} {model}"),  # UniqueCameraModel
        # ColorMatrix1: XYZ to camera, the sRGB primaries' inverse (a camera that sees sRGB).
        _Entry(50721, _SRATIONAL, sum((_rational(v) for v in (
            3.2406, -1.5372, -0.4986, -0.9689, 1.8758, 0.0415, 0.0557, -0.2040, 1.0570)), ())),
        _Entry(50728, _RATIONAL, (1, 1, 1, 1, 1, 1)),  # AsShotNeutral
        _Entry(50778, _SHORT, (21,)),  # CalibrationIlluminant1: D65
    ]
    if not exif_in_preview:
        ifd0 += [_ascii(271, make), _ascii(272, model)]
    if preview is not None:
        jpeg = writer.blob(preview_jpeg(*preview, exif=in_preview, picture=preview_picture))
        ifd0 += [
            _Entry(256, _LONG, (preview[0],)), _Entry(257, _LONG, (preview[1],)),
            _Entry(258, _SHORT, (8, 8, 8)), _Entry(259, _SHORT, (7,)),  # JPEG
            _Entry(262, _SHORT, (6,)),  # YCbCr
            _Entry(273, _LONG, ("blob", jpeg)),  # type: ignore[arg-type]
            _Entry(277, _SHORT, (3,)), _Entry(278, _LONG, (preview[1],)),
            _Entry(279, _LONG, (len(writer.blobs[jpeg]),)),
        ]
    sub: list[_Entry] = []
    if taken_at is not None:
        stamp = taken_at.strftime("%Y:%m:%d %H:%M:%S")
        sub.append(_ascii(36867, stamp))  # DateTimeOriginal
        ifd0.append(_ascii(306, stamp))
    sub.append(_Entry(37386, _RATIONAL, (50, 1)))  # FocalLength, so the IFD is never empty
    exif_ifd = writer.ifd(ifd0)
    raw_index = writer.ifd(raw_ifd)
    sub_index = writer.ifd(sub)
    ifd0.append(_Entry(330, _LONG, ("ifd", raw_index)))  # type: ignore[arg-type]
    ifd0.append(_Entry(34665, _LONG, ("ifd", sub_index)))  # type: ignore[arg-type]
    if gps is not None:
        lat, lon = gps
        gps_index = writer.ifd([
            _Entry(0, _BYTE, (2, 3, 0, 0)),
            _ascii(1, "N" if lat >= 0 else "S"), _Entry(2, _RATIONAL, _degrees(abs(lat))),
            _ascii(3, "E" if lon >= 0 else "W"), _Entry(4, _RATIONAL, _degrees(abs(lon))),
        ])
        ifd0.append(_Entry(34853, _LONG, ("ifd", gps_index)))  # type: ignore[arg-type]
    assert exif_ifd == 0
    data = writer.build(magic)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
