"""Why a photo could not be read, in words a person understands.

Reasons come from the OS error (vanished, permission denied, ...) or, when Pillow cannot identify
a file, from its first bytes: a damaged photo ("corrupt JPEG header") is told apart from a file
that is not a photo at all ("the file looks like HTML").
"""

from __future__ import annotations

import errno
import os
from typing import BinaryIO

REASON_EMPTY = "empty file (0 bytes)"
REASON_CORRUPT = "truncated or corrupt image data"
REASON_UNSUPPORTED = "unsupported or unrecognised image format"
REASON_VANISHED = "file vanished before it could be read"
REASON_PERMISSION = "permission denied"
REASON_FOLDER = "this is a folder, not a photo"
REASON_NOT_REGULAR = "not a regular file (a device, pipe or socket)"
REASON_MEMORY = "not enough memory to decode the image"
REASON_HEIC_MISSING = "HEIC support is not installed"
REASON_AVIF_MISSING = "AVIF support is not installed"
REASON_TIMEOUT = "took too long to decode (over 60 s)"
REASON_IO = "disk read error (input/output error)"

# Reasons that describe the moment, not the file: a permission fixed, a drive back, memory freed,
# a codec installed. A full scan gives such files another try (see queries.retry_transient).
TRANSIENT_REASONS = (
    REASON_PERMISSION, REASON_VANISHED, REASON_MEMORY, REASON_TIMEOUT, REASON_IO,
    REASON_HEIC_MISSING, REASON_AVIF_MISSING,
)
TRANSIENT_PREFIX = "cannot read the file"

_ERRNO_REASONS = {
    errno.ENOENT: REASON_VANISHED,
    errno.ENOTDIR: REASON_VANISHED,
    errno.EACCES: REASON_PERMISSION,
    errno.EPERM: REASON_PERMISSION,
    errno.EISDIR: REASON_FOLDER,
    errno.ELOOP: "symbolic link loop (the link points back at itself)",
    errno.ENAMETOOLONG: "file name or path too long",
    errno.EIO: REASON_IO,
    errno.ENXIO: REASON_NOT_REGULAR,
    errno.ENODEV: REASON_NOT_REGULAR,
}


def os_reason(exc: OSError) -> str:
    if exc.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[exc.errno]
    if exc.errno is not None:
        return f"cannot read the file: {os.strerror(exc.errno).lower()}"
    return f"cannot read the file: {exc.strerror or 'unknown error'}"


# Magic numbers for files Pillow could not identify: they tell "broken photo" from "not a photo".
_IMAGE_MAGIC = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_OTHER_MAGIC = (
    (b"%PDF", "not an image: the file is a PDF document"),
    (b"PK\x03\x04", "not an image: the file is a ZIP archive or office document"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
_AVIF_BRANDS = (b"avif", b"avis")


def sniff_reason(fh: BinaryIO, heif_available: bool, avif_available: bool) -> str:
    """Why Pillow could not identify the file: a broken photo, or not a photo at all."""
    try:
        fh.seek(0)
        head = fh.read(512)
    except OSError:
        return REASON_UNSUPPORTED
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _AVIF_BRANDS:
            return REASON_AVIF_MISSING if not avif_available else "corrupt AVIF header"
        if brand in _HEIF_BRANDS:
            return REASON_HEIC_MISSING if not heif_available else "corrupt HEIC header"
        return "not an image: the file looks like a video"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "corrupt WEBP header"
    for magic, name in _IMAGE_MAGIC:
        if head.startswith(magic):
            return f"corrupt {name} header"
    for magic, reason in _OTHER_MAGIC:
        if head.startswith(magic):
            return reason
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in lowered:
        return "not an image: the file looks like HTML"
    if b"<svg" in lowered:
        return "unsupported image format: SVG drawings are not photos"
    if looks_like_text(head):
        return "not an image: the file looks like text"
    return REASON_UNSUPPORTED


def looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a multi-byte character cut by our 512-byte window
            return True
    printable = sum(32 <= b < 127 or b in b"\t\r\n" for b in head)
    return printable / len(head) > 0.95
