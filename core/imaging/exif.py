"""EXIF fields PhotoSeek uses, read so that hostile values cannot hurt.

Pillow parses EXIF lazily: a value is decoded when it is first touched, and a damaged file can make
that raise almost anything (struct.error, ValueError, TypeError, ZeroDivisionError...). So every
field is read inside its own guard: a bad field becomes ``None`` (or orientation 1), never an
exception, and one bad field never loses the others. Nothing here decodes pixels.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from PIL import Image

_ORIENTATION = 0x0112
_MAKE = 0x010F
_MODEL = 0x0110
_DATETIME = 0x0132
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATETIME_ORIGINAL = 0x9003
_DATETIME_DIGITIZED = 0x9004
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4

MAX_TEXT = 64
# Camera clocks reset to 0000:00:00 or 1900; anything outside this window is noise, not a date.
_MIN_YEAR, _MAX_YEAR = 1826, 2200
_DATE_RE = re.compile(
    r"^\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})"
    r"(?:[ T]+(\d{1,2})[:.](\d{1,2})(?:[:.](\d{1,2}))?)?"
)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1 controls

T = TypeVar("T")


@dataclass(frozen=True)
class ExifFields:
    orientation: int = 1
    taken_at: datetime | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None


def _guarded(read: Callable[[], T], default: T) -> T:
    # Deliberately broad: this is the boundary with attacker-controlled bytes, and a field we
    # cannot read is simply absent. Bugs in *our* code would show up as always-None in tests.
    try:
        return read()
    except Exception:
        return default


def exif_of(im: Image.Image, *, allow_decode: bool) -> Image.Exif | None:
    """The image's EXIF block, or None. Never decodes pixels unless ``allow_decode``.

    PNG's ``getexif()`` decodes the whole image to look for an eXIf chunk after the pixel data;
    metadata-only reads must not pay that, so they only use an eXIf chunk found in the header.
    """
    if im.format == "PNG" and "exif" not in im.info and not allow_decode:
        return None
    return _guarded(im.getexif, None)


def parse_exif(exif: Image.Exif | None) -> ExifFields:
    if exif is None:
        return ExifFields()
    empty: dict[int, Any] = {}
    sub = _guarded(lambda: dict(exif.get_ifd(_EXIF_IFD)), empty)
    gps = _guarded(lambda: dict(exif.get_ifd(_GPS_IFD)), empty)
    lat_lon = _guarded(lambda: _gps(gps), None)
    return ExifFields(
        orientation=_guarded(lambda: _orientation(exif.get(_ORIENTATION)), 1),
        taken_at=_taken_at(exif, sub),
        camera_make=_guarded(lambda: _text(exif.get(_MAKE)), None),
        camera_model=_guarded(lambda: _text(exif.get(_MODEL)), None),
        gps_lat=lat_lon[0] if lat_lon else None,
        gps_lon=lat_lon[1] if lat_lon else None,
    )


def read_exif(im: Image.Image, *, allow_decode: bool) -> ExifFields:
    return parse_exif(exif_of(im, allow_decode=allow_decode))


def gps_position(gps: dict[int, Any]) -> tuple[float, float] | None:
    """(latitude, longitude) from a GPS IFD's tags, None when absent or not believable.
    For containers that keep the GPS IFD on its own (a Canon CR3's CMT4 box)."""
    return _guarded(lambda: _gps(gps), None)


def _orientation(value: Any) -> int:
    if isinstance(value, tuple | list) and len(value) == 1:
        value = value[0]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 8:
        return value
    return 1


def _as_str(value: Any) -> str | None:
    if isinstance(value, tuple | list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("latin-1")
    if isinstance(value, str):
        # Pillow decodes EXIF ASCII as latin-1; many phones write UTF-8 there. Undo the mojibake
        # when the round trip is clean, keep the latin-1 reading otherwise.
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    return None


def _text(value: Any) -> str | None:
    text = _as_str(value)
    if text is None:
        return None
    text = _CONTROL_RE.sub("", text).strip()[:MAX_TEXT].strip()
    return text or None


def _date_at(where: Any, tag: int) -> datetime | None:
    return _parse_date(where.get(tag))


def _parse_date(value: Any) -> datetime | None:
    text = _as_str(value)
    if not text:
        return None
    match = _DATE_RE.match(text.replace("\x00", ""))
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:  # month 13, 31 February, hour 24...
        return None


def _taken_at(exif: Image.Exif, sub: dict[int, Any]) -> datetime | None:
    # Original (shutter) beats digitized (scan) beats file-modified. Some writers misplace the
    # first two in IFD0, so look there too.
    for tag, where in (
        (_DATETIME_ORIGINAL, sub),
        (_DATETIME_ORIGINAL, exif),
        (_DATETIME_DIGITIZED, sub),
        (_DATETIME_DIGITIZED, exif),
        (_DATETIME, exif),
    ):
        found = _guarded(partial(_date_at, where, tag), None)
        if found is not None:
            return found
    return None


def _degrees(value: Any) -> float | None:
    parts = value if isinstance(value, tuple | list) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    total = 0.0
    for part, scale in zip(parts, (1.0, 60.0, 3600.0), strict=False):
        number = float(part)  # IFDRational with a zero denominator gives NaN here
        if not math.isfinite(number) or number < 0:
            return None
        total += number / scale
    return total


def _hemisphere(ref: Any, positive: str, negative: str) -> float | None:
    text = (_as_str(ref) or "").strip().upper()[:1]
    if text == positive:
        return 1.0
    if text == negative:
        return -1.0
    # A missing or garbage ref leaves the sign unknown: better no location than a wrong one.
    return None


def _gps(gps: dict[int, Any]) -> tuple[float, float] | None:
    lat_sign = _hemisphere(gps.get(_GPS_LAT_REF), "N", "S")
    lon_sign = _hemisphere(gps.get(_GPS_LON_REF), "E", "W")
    lat = _degrees(gps[_GPS_LAT]) if _GPS_LAT in gps else None
    lon = _degrees(gps[_GPS_LON]) if _GPS_LON in gps else None
    if lat_sign is None or lon_sign is None or lat is None or lon is None:
        return None
    if lat > 90.0 or lon > 180.0:
        return None
    return lat * lat_sign, lon * lon_sign
