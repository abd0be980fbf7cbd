"""Files a person keeps beside their photos that PhotoSeek does not read, and why.

A folder of photos also holds RAW files, videos and editing documents. They are not indexed
(yet), but they are never skipped in silence: a scan lists each with the reason from here, and
``photoseek failures`` and the library panel show them. Anything else (sidecars, text) is not
a picture and is passed over.
"""

from __future__ import annotations

from pathlib import Path

RAW_EXTENSIONS = frozenset({
    ".dng", ".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".raf", ".orf",
    ".rw2", ".rwl", ".pef", ".srw", ".x3f", ".3fr", ".erf", ".kdc", ".dcr", ".mrw", ".iiq",
    ".mos",
})
VIDEO_EXTENSIONS = frozenset({
    ".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".mts", ".m2ts", ".3gp", ".wmv", ".mpg",
    ".mpeg", ".flv",
})
REASON_RAW = "a RAW photo: PhotoSeek does not read RAW files yet"
REASON_VIDEO = "a video: PhotoSeek does not index videos yet"
_OTHER = {
    ".psd": "a Photoshop document: PhotoSeek reads finished images only",
    ".jxl": "a JPEG XL image: this format is not supported yet",
    ".avif": "an AVIF image: AVIF support is not installed",
    ".heic": "a HEIC photo: HEIC support is not installed",
    ".heif": "a HEIC photo: HEIC support is not installed",
}


def unread_reason(path: Path, supported: frozenset[str]) -> str | None:
    """Why a file that is not among the ``supported`` extensions is a picture PhotoSeek does
    not read; None for files that are not pictures at all."""
    suffix = path.suffix.lower()
    if suffix in supported:
        return None
    if suffix in RAW_EXTENSIONS:
        return REASON_RAW
    if suffix in VIDEO_EXTENSIONS:
        return REASON_VIDEO
    return _OTHER.get(suffix)
