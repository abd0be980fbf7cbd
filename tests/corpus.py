"""A corpus of hostile photo files and folders, the kind a real disk holds.

``build_corpus(root)`` writes every case under ``root`` and says, for each, what the indexer
should do with it: ``indexed`` (a photo we must read), ``failed`` (recorded with a reason) or
``skipped`` (never looked at: hidden folders, links, pipes). Runnable on its own::

    python -m tests.corpus OUTDIR

Files are crafted byte by byte where Pillow refuses to write something broken (bomb headers,
hostile EXIF, bad TIFF directories). Nothing needs the network.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image

Expect = Literal["indexed", "failed", "skipped"]

RED = (220, 30, 30)
BLUE = (40, 60, 200)


@dataclass(frozen=True)
class CorpusCase:
    path: Path
    kind: str
    expect: Expect
    note: str
    display_size: tuple[int, int] | None = None  # indexed: width x height once upright
    top_left: tuple[int, int, int] | None = None  # indexed: colour of the upright top-left corner
    reason_contains: str | None = None  # failed: a fragment the reason must contain


# --- pixels --------------------------------------------------------------------------------------


def photo(width: int = 96, height: int = 64) -> Image.Image:
    """A smooth gradient with a red block in the top-left corner (marks orientation)."""
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    pixels = np.empty((height, width, 3), np.uint8)
    pixels[..., 0] = 40 + 60 * x * y
    pixels[..., 1] = 60 + 100 * y  # numpy broadcasts the column over every row
    pixels[..., 2] = 200 - 80 * x
    block_w, block_h = max(1, width // 3), max(1, height // 2)
    pixels[:block_h, :block_w] = RED
    return Image.fromarray(pixels)


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


# --- raw containers ------------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose IHDR (valid CRC) declares ``width`` x ``height`` but holds almost no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A real small JPEG whose SOF0 frame header is patched to declare another size."""
    data = bytearray(encode(photo(64, 64), "JPEG", quality=80))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


# TIFF/EXIF field types and their sizes.
BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED = 1, 2, 3, 4, 5, 7
Entry = tuple[int, int, int, bytes]  # tag, type, count, value (<= 4 bytes: inline, as given)


def ascii_(text: bytes) -> tuple[int, int, bytes]:
    return ASCII, len(text) + 1, text + b"\x00"


def short(*values: int) -> tuple[int, int, bytes]:
    return SHORT, len(values), struct.pack(f"<{len(values)}H", *values)


def long_(*values: int) -> tuple[int, int, bytes]:
    return LONG, len(values), struct.pack(f"<{len(values)}I", *values)


def rational(*pairs: tuple[int, int]) -> tuple[int, int, bytes]:
    flat = [n for pair in pairs for n in pair]
    return RATIONAL, len(pairs), struct.pack(f"<{len(flat)}I", *flat)


def ifd(start: int, entries: list[Entry], next_ifd: int = 0) -> bytes:
    """One little-endian IFD at absolute offset ``start``; long values follow the directory."""
    table = struct.pack("<H", len(entries))
    data_at = start + 2 + 12 * len(entries) + 4
    blobs = b""
    for tag, typ, count, value in sorted(entries, key=lambda e: e[0]):
        if len(value) <= 4:
            inline = value.ljust(4, b"\x00")
        else:
            inline = struct.pack("<I", data_at + len(blobs))
            blobs += value + b"\x00" * (len(value) % 2)
        table += struct.pack("<HHI", tag, typ, count) + inline
    return table + struct.pack("<I", next_ifd) + blobs


def tiff(
    ifd0: list[Entry],
    exif_ifd: list[Entry] | None = None,
    gps_ifd: list[Entry] | None = None,
) -> bytes:
    """A little-endian TIFF structure (the body of an EXIF block) with optional sub-IFDs."""
    entries = list(ifd0)
    # Pointer values are inline, so the layout is known before the pointers are filled in.
    subs = [(tag, sub) for tag, sub in ((0x8769, exif_ifd), (0x8825, gps_ifd)) if sub is not None]
    size0 = len(ifd(8, entries + [(tag, LONG, 1, b"\0\0\0\0") for tag, _ in subs]))
    body, at = b"", 8 + size0
    for tag, sub in subs:
        entries.append((tag, LONG, 1, struct.pack("<I", at)))
        block = ifd(at, sub)
        body += block
        at += len(block)
    return b"II*\x00" + struct.pack("<I", 8) + ifd(8, entries) + body


def jpeg_with_exif(tiff_body: bytes, image: Image.Image | None = None) -> bytes:
    image = image if image is not None else photo()
    return encode(image, "JPEG", quality=95, exif=b"Exif\x00\x00" + tiff_body)


def tiff_rgb16(width: int, height: int) -> bytes:
    """An uncompressed 16-bit-per-channel RGB TIFF (Pillow cannot write one)."""
    rgb8 = np.asarray(photo(width, height), dtype=np.uint16)
    pixels = (rgb8 * 257).astype("<u2").tobytes()

    def entries(strip_at: int) -> list[Entry]:
        return [
            (256, *long_(width)),
            (257, *long_(height)),
            (258, *short(16, 16, 16)),
            (259, *short(1)),
            (262, *short(2)),
            (273, *long_(strip_at)),
            (277, *short(3)),
            (278, *long_(height)),
            (279, *long_(len(pixels))),
            (284, *short(1)),
        ]

    strip_at = 8 + len(ifd(8, entries(0)))
    return b"II*\x00" + struct.pack("<I", 8) + ifd(8, entries(strip_at)) + pixels


# --- the corpus ----------------------------------------------------------------------------------

# Orientation tag -> the transform that makes the stored pixels from the upright picture
# (the inverse of what a viewer applies).
_STORE_FOR_ORIENTATION = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def _hostile_exif() -> dict[str, tuple[bytes, str]]:
    make, model = (0x010F, *ascii_(b"Canon")), (0x0110, *ascii_(b"EOS"))
    return {
        "exif_huge_counts": (
            tiff(
                [
                    (0x010F, ASCII, 0x7FFFFFFF, struct.pack("<I", 26)),
                    (0x0110, LONG, 0xFFFFFFFF, struct.pack("<I", 8)),
                    (0x0112, SHORT, 0x40000000, b"\x06\x00\x00\x00"),
                ]
            ),
            "counts near 2**31 for Make/Model/Orientation",
        ),
        "exif_bad_offsets": (
            tiff(
                [
                    (0x010F, ASCII, 40, struct.pack("<I", 0xFFFFFF00)),
                    (0x8769, LONG, 1, struct.pack("<I", 0xFFFFFFF0)),
                    (0x8825, LONG, 1, struct.pack("<I", 0x7FFFFFFF)),
                ]
            ),
            "value and sub-IFD offsets far past the end of the block",
        ),
        "exif_impossible_dates": (
            tiff(
                [make, (0x0132, *ascii_(b"garbage\xff\xfe date"))],
                exif_ifd=[
                    (0x9003, *ascii_(b"0000:00:00 00:00:00")),
                    (0x9004, *ascii_(b"2021:13:45 25:61:61")),
                ],
            ),
            "0000:00:00, month 13, hour 25 and a non-date",
        ),
        "exif_nan_gps": (
            tiff(
                [make, model],
                gps_ifd=[
                    (1, *ascii_(b"N")),
                    (2, *rational((0, 0), (0, 0), (0, 0))),
                    (3, *ascii_(b"\xff")),
                    (4, *rational((10**9, 1), (5, 0), (1, 0))),
                ],
            ),
            "0/0 rationals, a garbage longitude ref, 1e9 degrees",
        ),
        "exif_gps_refs_missing": (
            tiff(
                [make],
                gps_ifd=[
                    (2, *rational((45, 1), (0, 1), (0, 1))),
                    (4, *rational((7, 1), (0, 1), (0, 1))),
                ],
            ),
            "coordinates without N/S/E/W refs",
        ),
        "exif_non_utf8_text": (
            tiff(
                [
                    (0x010F, *ascii_(b"\xff\xfe\x80Cam\x00\x00era\x01\x02")),
                    (0x0110, *ascii_(b"M" * 300 + b"\xc3")),
                ]
            ),
            "Make with invalid UTF-8, NULs and control bytes; 300-byte Model",
        ),
        "exif_ifd_loop": (
            tiff(
                [
                    make,
                    (0x8769, LONG, 1, struct.pack("<I", 8)),
                    (0x8825, LONG, 1, struct.pack("<I", 8)),
                ]
            ),
            "Exif and GPS sub-IFD pointers point back at IFD0",
        ),
        "exif_bad_orientation": (tiff([(0x0112, *short(99))]), "orientation 99"),
        "exif_wrong_types": (
            tiff(
                [(0x0112, *ascii_(b"6")), (0x0132, *rational((2020, 1)))],
                gps_ifd=[(1, *short(78)), (2, *ascii_(b"forty-five"))],
            ),
            "orientation as text, date as a rational, GPS as text",
        ),
        "exif_truncated": (
            tiff([make, model, (0x0132, *ascii_(b"2020:01:02 03:04:05"))])[:30],
            "EXIF block cut in the middle of its directory",
        ),
        "exif_not_tiff": (b"XX**" + os.urandom(60), "APP1 Exif payload without a TIFF header"),
    }


class _Builder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.cases: list[CorpusCase] = []

    def add(self, rel: str | Path, kind: str, expect: Expect, note: str, **hints: object) -> Path:
        path = self.root / rel
        self.cases.append(CorpusCase(path, kind, expect, note, **hints))  # type: ignore[arg-type]
        return path

    def file(
        self, rel: str | Path, data: bytes, kind: str, expect: Expect, note: str, **hints: object
    ) -> Path:
        path = self.add(rel, kind, expect, note, **hints)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def good(
        self,
        rel: str | Path,
        data: bytes,
        kind: str,
        note: str,
        size: tuple[int, int] = (96, 64),
        corner: bool = True,
    ) -> Path:
        return self.file(
            rel, data, kind, "indexed", note, display_size=size, top_left=RED if corner else None
        )

    def bad(
        self, rel: str | Path, data: bytes, kind: str, note: str, reason: str | None = None
    ) -> Path:
        return self.file(rel, data, kind, "failed", note, reason_contains=reason)

    def optional(self, kind: str, make: Callable[[], None]) -> None:
        """Cases the platform may not allow (symlinks, FIFOs, odd names): skip them quietly."""
        try:
            make()
        except (OSError, NotImplementedError, ValueError, KeyError) as exc:
            print(f"corpus: {kind} not possible here: {exc}", file=sys.stderr)


def build_corpus(root: Path) -> list[CorpusCase]:
    """Write every hostile case under ``root`` (created) and describe it."""
    root.mkdir(parents=True, exist_ok=True)
    b = _Builder(root)
    base = photo()
    jpeg = encode(base, "JPEG", quality=92)
    png = encode(base, "PNG")

    # Plain photos of every supported format: the baseline that must keep working.
    b.good("plain/photo.jpg", jpeg, "jpeg", "baseline JPEG")
    b.good("plain/photo.JPG", jpeg, "upper_case_extension", "extension in capitals")
    b.good("plain/photo.png", png, "png", "baseline PNG")
    b.good("plain/photo.webp", encode(base, "WEBP", quality=95), "webp", "baseline WebP")
    b.good("plain/photo.bmp", encode(base, "BMP"), "bmp", "baseline BMP")
    b.good("plain/photo.tif", encode(base, "TIFF", compression="tiff_lzw"), "tiff", "LZW TIFF")
    b.good(
        "plain/progressive.jpg",
        encode(base, "JPEG", quality=92, progressive=True),
        "progressive_jpeg",
        "progressive JPEG",
    )
    b.good(
        "plain/gray.jpg",
        encode(base.convert("L"), "JPEG"),
        "grayscale_jpeg",
        "single-channel JPEG",
        corner=False,
    )
    b.good(
        "plain/stereo.jpg",
        encode(base, "MPO", save_all=True, append_images=[photo()]),
        "mpo",
        "multi-picture JPEG as phones write them",
    )

    # Empty, truncated, corrupt, not an image at all.
    b.bad("broken/empty.jpg", b"", "zero_byte", "0-byte file", "empty")
    b.bad(
        "broken/truncated.jpg",
        encode(photo(400, 300), "JPEG")[:3000],
        "truncated_jpeg",
        "JPEG cut after 3000 bytes",
        "truncated or corrupt",
    )
    big_png = encode(photo(400, 300), "PNG")
    b.bad(
        "broken/truncated.png",
        big_png[: len(big_png) // 2],
        "truncated_png",
        "PNG cut in half",
        "truncated or corrupt",
    )
    b.bad(
        "broken/bad_header.jpg",
        b"\xff\xd8\xff\xe0" + os.urandom(200),
        "corrupt_jpeg_header",
        "JPEG magic followed by noise",
        "corrupt",
    )
    bad_crc = bytearray(png)
    bad_crc[29] ^= 0xFF  # inside IHDR's CRC
    b.bad("broken/bad_crc.png", bytes(bad_crc), "corrupt_png_header", "IHDR CRC wrong", "corrupt")
    b.bad(
        "broken/notes.jpg",
        b"Shopping list:\n- milk\n- eggs\n" * 20,
        "text_as_jpg",
        "plain text saved as .jpg",
        "text",
    )
    b.bad(
        "broken/page.jpg",
        b"<!DOCTYPE html><html><head><title>404</title></head></html>",
        "html_as_jpg",
        "an HTML error page saved as .jpg",
        "HTML",
    )
    b.bad("broken/noise.jpg", os.urandom(4096), "random_bytes", "random bytes", None)
    b.bad(
        "broken/doc.jpg", b"%PDF-1.7\n" + os.urandom(500), "pdf_as_jpg", "a PDF named .jpg", "PDF"
    )
    b.bad(
        "broken/fake.heic",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + os.urandom(64),
        "fake_heic",
        "HEIF brand box followed by noise",
        None,
    )
    b.bad(
        "broken/video.jpg",
        b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\0" * 64,
        "video_as_jpg",
        "an MP4 named .jpg",
        "video",
    )
    b.bad("broken/zero_size.png", png_declaring(0, 0), "zero_dimensions", "IHDR 0x0", None)
    b.bad(
        "broken/no_frames.gif",
        b"GIF89a\x10\x00\x10\x00\x00\x00\x00\x3b",
        "gif_no_frames",
        "GIF header and trailer, no image",
        None,
    )
    b.bad("broken/garbage.gif", b"GIF89a" + os.urandom(300), "gif_garbage", "GIF magic + noise")
    b.bad(
        "broken/bad_header.bmp",
        b"BM" + struct.pack("<IHHIIiiHH", 9999, 0, 0, 54, 40, -5, 0, 7, 77) + os.urandom(40),
        "bmp_bad_header",
        "BMP with negative width, 77 bpp",
    )
    b.bad(
        "broken/bad_ifd.tif",
        b"II*\x00" + struct.pack("<I", 0xFFFFFF00) + os.urandom(64),
        "tiff_bad_ifd_offset",
        "first IFD offset past the end of the file",
    )
    strips = bytearray(tiff_rgb16(32, 16))
    del strips[-32 * 16 * 6 :]  # keep the directory, drop the strip data
    b.bad(
        "broken/short_strip.tif",
        bytes(strips),
        "tiff_strip_past_eof",
        "strip offsets point beyond the end of the file",
    )

    # Decompression bombs: a few hundred bytes that declare billions of pixels.
    b.bad(
        "bombs/huge.png",
        png_declaring(100_000, 100_000),
        "bomb_png",
        "PNG IHDR 100000x100000, valid CRC",
        "too large",
    )
    b.bad(
        "bombs/huge.jpg",
        jpeg_declaring(65_000, 65_000),
        "bomb_jpeg",
        "JPEG SOF 65000x65000",
        "too large",
    )

    # Colour modes that need care.
    b.good(
        "modes/cmyk.jpg",
        encode(base.convert("CMYK"), "JPEG", quality=95),
        "cmyk_jpeg",
        "Adobe CMYK JPEG",
    )
    gray16 = (np.asarray(base.convert("L"), dtype=np.uint16) * 257).astype(np.uint16)
    b.good(
        "modes/gray16.png",
        encode(Image.fromarray(gray16), "PNG"),
        "gray16_png",
        "16-bit greyscale PNG (mode I;16)",
        corner=False,
    )
    b.good("modes/rgb16.tif", tiff_rgb16(96, 64), "rgb16_tiff", "16-bit RGB TIFF")
    palette = base.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    palette.info["transparency"] = palette.getpixel((95, 63))
    b.good(
        "modes/palette_alpha.png",
        encode(palette, "PNG"),
        "palette_transparency_png",
        "palette PNG with a transparent index",
    )
    b.good(
        "modes/gray_alpha.png",
        encode(base.convert("LA"), "PNG"),
        "la_png",
        "grey + alpha",
        corner=False,
    )
    rgba = base.convert("RGBA")
    rgba.putalpha(128)
    b.good(
        "modes/half_alpha.png",
        encode(rgba, "PNG"),
        "rgba_png",
        "half-transparent RGBA",
        corner=False,
    )
    b.good(
        "modes/bilevel.png",
        encode(base.convert("1"), "PNG"),
        "bilevel_png",
        "1-bit PNG",
        corner=False,
    )
    frames = [photo(), Image.new("RGB", (96, 64), BLUE), Image.new("RGB", (96, 64), "green")]
    b.good(
        "modes/animated.gif",
        encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0),
        "animated_gif",
        "3-frame GIF",
    )
    b.good(
        "modes/animated.webp",
        encode(
            frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100, lossless=True
        ),
        "animated_webp",
        "3-frame WebP",
    )

    # Every EXIF orientation: the stored pixels are turned so that only honouring the tag
    # puts the red block back in the top-left corner.
    for tag, store in _STORE_FOR_ORIENTATION.items():
        stored = base if store is None else base.transpose(store)
        exif = Image.Exif()
        exif[0x0112] = tag
        b.good(
            f"orientation/orientation_{tag}.jpg",
            encode(stored, "JPEG", quality=95, exif=exif.tobytes()),
            f"orientation_{tag}",
            f"EXIF orientation {tag}",
        )

    for kind, (body, note) in _hostile_exif().items():
        b.good(f"exif/{kind}.jpg", jpeg_with_exif(body), kind, note)

    # Extreme sizes.
    b.good(
        "sizes/one_pixel.png",
        encode(Image.new("RGB", (1, 1), RED), "PNG"),
        "tiny_1x1",
        "a single pixel",
        size=(1, 1),
    )
    b.good(
        "sizes/strip.png",
        encode(photo(20_000, 10), "PNG"),
        "strip_20000x10",
        "20000x10 panorama strip",
        size=(20_000, 10),
    )

    # Names and places.
    b.good("names/wrong_ext.jpg", png, "png_named_jpg", "a PNG with a .jpg name")
    b.good("names/wrong_ext.png", jpeg, "jpeg_named_png", "a JPEG with a .png name")
    b.optional(
        "emoji_name",
        lambda: b.good("names/📷 sunset 🌅.jpg", jpeg, "emoji_name", "emoji in the file name"),
    )
    b.optional(
        "newline_name",
        lambda: b.good("names/line\nbreak.jpg", jpeg, "newline_name", "a newline in the file name"),
    )
    b.optional(
        "invalid_utf8_name",
        lambda: b.good(
            os.fsdecode(b"names/bad-\xff\xfe.jpg"),
            jpeg,
            "invalid_utf8_name",
            "file name bytes that are not UTF-8",
        ),
    )
    b.optional(
        "long_name",
        lambda: b.good(
            "names/" + "a" * 251 + ".jpg", jpeg, "name_255_bytes", "a 255-byte file name"
        ),
    )
    deep = Path("deep").joinpath(*[f"d{n}" for n in range(60)])
    b.good(deep / "deep.jpg", jpeg, "deep_folder", "a photo 60 folders down")
    folder_like = b.add(
        "places/folder.jpg", "folder_named_jpg", "skipped", "a directory whose name ends in .jpg"
    )
    folder_like.mkdir(parents=True)
    (folder_like / "inside.png").write_bytes(png)  # a real photo inside it
    b.cases.append(
        CorpusCase(
            folder_like / "inside.png",
            "photo_in_jpg_folder",
            "indexed",
            "a photo inside folder.jpg/",
            (96, 64),
            RED,
        )
    )
    b.file(
        "places/.thumbnails/cached.jpg", jpeg, "hidden_folder", "skipped", "inside a hidden folder"
    )
    b.file(
        "places/@eaDir/photo.jpg/SYNOPHOTO_THUMB_XL.jpg",
        jpeg,
        "synology_eadir",
        "skipped",
        "Synology's @eaDir system folder",
    )
    b.file("places/.hidden.jpg", jpeg, "hidden_file", "skipped", "a dot-file")

    def unreadable() -> None:
        path = b.root / "perm/locked.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg)
        path.chmod(0)
        try:  # root (and CAP_DAC_OVERRIDE) reads through chmod 000: then it is a good photo
            path.open("rb").close()
            b.cases.append(
                CorpusCase(
                    path, "unreadable_000", "indexed", "chmod 000, but we are root", (96, 64), RED
                )
            )
        except PermissionError:
            b.cases.append(
                CorpusCase(
                    path, "unreadable_000", "failed", "chmod 000", None, None, "permission denied"
                )
            )

    b.optional("unreadable_000", unreadable)

    def links() -> None:
        loop_dir = b.root / "links/loop"
        loop_dir.mkdir(parents=True)
        (loop_dir / "photo.jpg").write_bytes(jpeg)
        b.cases.append(
            CorpusCase(
                loop_dir / "photo.jpg",
                "photo_beside_loop",
                "indexed",
                "indexed once, not once per trip round the loop",
                (96, 64),
                RED,
            )
        )
        os.symlink("..", loop_dir / "up", target_is_directory=True)
        b.cases.append(
            CorpusCase(loop_dir / "up", "symlink_loop", "skipped", "directory link to its parent")
        )
        a, c = b.root / "links/a.jpg", b.root / "links/c.jpg"
        os.symlink(c.name, a)
        os.symlink(a.name, c)
        b.cases.append(CorpusCase(a, "file_symlink_loop", "skipped", "a.jpg -> c.jpg -> a.jpg"))
        dangling = b.root / "links/dangling.jpg"
        os.symlink("nowhere.jpg", dangling)
        b.cases.append(CorpusCase(dangling, "dangling_symlink", "skipped", "link to nothing"))

    b.optional("symlinks", links)

    def fifo() -> None:
        path = b.root / "special/pipe.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
        b.cases.append(
            CorpusCase(
                path,
                "fifo",
                "skipped",
                "a named pipe: opening it naively blocks forever",
                None,
                None,
                "not a regular file",
            )
        )

    b.optional("fifo", fifo)

    # Formats whose encoders are optional in Pillow / pillow_heif builds.
    def heic() -> None:
        import pillow_heif

        pillow_heif.register_heif_opener()
        b.good("formats/photo.heic", encode(base, "HEIF", quality=95), "heic", "HEIC photo")

    def avif() -> None:
        b.good("formats/photo.avif", encode(base, "AVIF", quality=95), "avif", "AVIF photo")

    b.optional("heic", heic)
    b.optional("avif", avif)
    return b.cases


def mutate_between_scan_and_decode(
    path: Path, how: Literal["delete", "truncate", "replace_with_text", "replace_with_folder"]
) -> None:
    """Change a photo the way a sync client or the user might after a scan saw it."""
    if how == "delete":
        path.unlink()
    elif how == "truncate":
        with path.open("r+b") as fh:
            fh.truncate(max(0, path.stat().st_size // 3))
    elif how == "replace_with_text":
        path.write_bytes(b"this file was replaced by a text file\n")
    elif how == "replace_with_folder":
        path.unlink()
        path.mkdir()
    else:
        raise ValueError(how)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.corpus OUTDIR", file=sys.stderr)
        return 2
    cases = build_corpus(Path(argv[0]))
    for case in cases:
        print(f"{case.expect:8} {case.kind:28} {os.fsencode(case.path)!r}")
    print(f"{len(cases)} cases, {len({c.kind for c in cases})} kinds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
