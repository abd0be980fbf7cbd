"""Files a person keeps beside their photos that PhotoSeek does not read, and why.

A folder of photos also holds RAW files, videos and editing documents. What is not indexed is
never skipped in silence: a scan lists each with the reason from here, and ``photoseek
failures`` and the library panel show them. Anything else (sidecars, text) is not a picture and
is passed over. Videos are read through PyAV (``core.imaging.video``) where it is installed.
"""

from __future__ import annotations

from importlib.util import find_spec
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
# RAW files are read through LibRaw (rawpy, core.imaging.raw); these reasons are for an install
# without it, and for a kind its LibRaw build leaves out (Sigma's X3F needs its X3F tools).
REASON_RAW = "a RAW photo: RAW support (rawpy) is not installed"
REASON_RAW_FORMAT = "a RAW format that this build of LibRaw does not read"
RAW_SUPPORT = find_spec("rawpy") is not None
REASON_VIDEO = "a video: video support (PyAV) is not installed"
# FFmpeg (through PyAV) reads every one of these containers; found without importing it, which
# costs a tenth of a second at start.
VIDEO_SUPPORT = find_spec("av") is not None
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
        return REASON_RAW_FORMAT if RAW_SUPPORT else REASON_RAW
    if suffix in VIDEO_EXTENSIONS:
        return None if VIDEO_SUPPORT else REASON_VIDEO
    return _OTHER.get(suffix)


def is_video(path: Path) -> bool:
    """True for a video file PhotoSeek reads (its frames are indexed, core.imaging.video)."""
    return VIDEO_SUPPORT and path.suffix.lower() in VIDEO_EXTENSIONS
