"""Reading text in photos (core.ocr): throughput at steady state, and the search lookup.

Three parts, each in one process:

- **photos without text**: real photos (skimage.data's, cropped, flipped, tinted and scaled to
  1000-2000 pixels wide, saved as JPEG: a few hundred distinct files) read end to end by
  ``read_pending`` through a catalog, as ``photoseek index`` does: decoding, the detector, and
  the recogniser only where the detector boxes something.
- **photos with text**: rendered receipts, documents, screenshots and signs over photos, read
  the same way; word recall (the share of the rendered words found in what was read) says what
  the reader misses. Then the same files read detector-only and in full, to show what skipping
  the recogniser saves.
- **the lookup**: a catalog of 100,000 photos, 10% of them with text (receipt-like lines from a
  vocabulary), searched as a keystroke does (``Finder.with_text``: the trigram index, the
  photos' rows, their labels): rare and common words, two words, short words (LIKE), an exact
  text, Chinese; p50 and p95, and the index's size per photo with text.

The engine warms up on a few files first (model load, first-run allocations) and is not timed.

    .venv/bin/python benchmarks/bench_ocr.py --plain 300 --text 120 --rows 100000
"""

from __future__ import annotations

import argparse
import contextlib
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFont

from core.catalog import queries
from core.catalog.database import Catalog
from core.catalog.text import Read, photos_with_text, store_text
from core.library.finder import EXACT_TEXT_MAX, Finder
from core.ocr.pending import read_pending
from core.ocr.reader import TextReader

REAL = ["astronaut", "chelsea", "rocket", "camera", "cat", "immunohistochemistry", "coffee",
        "hubble_deep_field", "retina", "coins", "horse", "moon", "grass", "gravel", "brick"]
WORDS = ("milk bread butter cheese apples coffee sugar flour eggs water juice rice pasta tomato "
         "onion garlic salmon chicken beef yogurt cereal honey olive lemon orange banana grape "
         "station platform exit entrance tickets museum hotel pharmacy bakery parking welcome "
         "invoice receipt total amount subtotal change cash card thank visit again order "
         "meeting agenda project budget quarter report summary review draft final notes "
         "settings network account password download update version window folder").split()
CHINESE = ["欢迎光临", "北京饭店", "出口", "入口", "地铁站", "停车场", "收据", "合计", "谢谢惠顾"]
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/noto")]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for folder in FONT_DIRS:
        for name in ("DejaVuSans.ttf", "DejaVuSansMono.ttf", "NotoSansMono-Regular.ttf"):
            if (folder / name).is_file():
                return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- the photos ------------------------------------------------------------------------------


def plain_photos(folder: Path, count: int, seed: int) -> list[Path]:
    import skimage.data

    rng = random.Random(seed)
    sources = [Image.fromarray(getattr(skimage.data, name)()).convert("RGB") for name in REAL]
    made = []
    for n in range(count):
        image = rng.choice(sources)
        w, h = image.size
        cw, ch = int(w * rng.uniform(0.6, 1.0)), int(h * rng.uniform(0.6, 1.0))
        x, y = rng.randrange(w - cw + 1), rng.randrange(h - ch + 1)
        image = image.crop((x, y, x + cw, y + ch))
        if rng.random() < 0.5:
            image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        image = ImageEnhance.Color(image).enhance(rng.uniform(0.6, 1.4))
        width = rng.randrange(1000, 2001)
        image = image.resize((width, max(1, round(width * ch / cw))), Image.Resampling.BICUBIC)
        path = folder / f"plain_{n:04d}.jpg"
        image.save(path, quality=90)
        made.append(path)
    return made


def _lines(rng: random.Random, count: int, words: tuple[int, int]) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(*words))) for _ in range(count)]


def text_photos(folder: Path, count: int, seed: int) -> dict[Path, str]:
    """Rendered pictures with text -> the text drawn on them."""
    import skimage.data

    rng = random.Random(seed)
    backgrounds = [Image.fromarray(getattr(skimage.data, n)()).convert("RGB")
                   for n in ("chelsea", "rocket", "coffee")]
    made: dict[Path, str] = {}
    for n in range(count):
        kind = ("receipt", "document", "screenshot", "sign")[n % 4]
        if kind == "receipt":  # a phone photo of a receipt: narrow, large print
            image, size, lines = Image.new("RGB", (900, 1600), (250, 248, 240)), 38, \
                _lines(rng, 16, (1, 3)) + [f"TOTAL {rng.randrange(100, 9999) / 100:.2f}"]
        elif kind == "document":  # a page at 150 dpi
            image, size, lines = Image.new("RGB", (1240, 1754), "white"), 26, \
                _lines(rng, 28, (4, 8))
        elif kind == "screenshot":  # a 1080p screen, UI text
            image, size, lines = Image.new("RGB", (1920, 1080), (245, 245, 245)), 22, \
                _lines(rng, 18, (2, 6))
        else:  # a sign in a photo
            image = rng.choice(backgrounds).resize((1600, 1200))
            size, lines = 90, _lines(rng, 2, (1, 2))
        draw = ImageDraw.Draw(image)
        font = _font(size)
        top = 60 if kind != "sign" else 380
        for row, line in enumerate(lines):
            y = top + row * int(size * 1.6)
            if kind == "sign":
                box = draw.textbbox((120, y), line, font=font)
                draw.rectangle((box[0] - 20, box[1] - 15, box[2] + 20, box[3] + 15), fill="white")
            draw.text((120 if kind == "sign" else 50, y), line, fill=(20, 20, 20), font=font)
        path = folder / f"{kind}_{n:04d}.jpg"
        image.save(path, quality=90)
        made[path] = "\n".join(lines)
    return made


def _catalog_of(folder: Path, files: list[Path], home: Path) -> Catalog:
    catalog = Catalog(home / "catalog.db")
    with catalog.write() as conn:
        folder_id = queries.add_folder(conn, folder)
        queries.insert_photos(conn, folder_id, [
            (p.name, p.stat().st_size, p.stat().st_mtime_ns, None) for p in files
        ])
        conn.exec_driver_sql("UPDATE photos SET state = 1")
    return catalog


def read_through_catalog(folder: Path, files: list[Path], reader: TextReader,
                         home: Path) -> tuple[float, dict[str, str]]:
    """photos/s of ``read_pending`` over these files; what it stored, by file name."""
    catalog = _catalog_of(folder, files, home)
    started = time.perf_counter()
    done = read_pending(catalog, reader=reader)
    seconds = time.perf_counter() - started
    with catalog.read() as conn:
        stored = dict(conn.exec_driver_sql(
            "SELECT rel_path, text FROM photos JOIN photo_text ON photo_id = id").fetchall())
    catalog.close()
    assert done == len(files), (done, len(files))
    return len(files) / seconds, stored


def detector_only_per_s(files: list[Path], reader: TextReader) -> float:
    """The detector alone over these files (decoding included), as for a photo without text."""
    from rapidocr.main import RapidOCRError

    from core.imaging.loading import make_thumbnail

    engine = reader._loaded()
    started = time.perf_counter()
    for path in files:
        image = make_thumbnail(path, reader.read_side)
        pixels = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
        prepared, record = engine.preprocess_img(pixels)
        with contextlib.suppress(RapidOCRError):  # rapidocr's "no text box"
            engine.detect_and_crop(prepared, record)
    return len(files) / (time.perf_counter() - started)


def recall(drawn: dict[Path, str], stored: dict[str, str]) -> dict[str, float]:
    """The share of drawn words found in the stored text, by kind of picture."""
    found: dict[str, list[float]] = {}
    for path, text in drawn.items():
        words = text.lower().split()
        read = stored.get(path.name, "").lower().split()
        pool = {w: read.count(w) for w in set(read)}
        hits = 0
        for word in words:
            if pool.get(word, 0) > 0:
                pool[word] -= 1
                hits += 1
        found.setdefault(path.name.split("_")[0], []).append(hits / max(1, len(words)))
    return {kind: statistics.mean(shares) for kind, shares in sorted(found.items())}


# -- the lookup ------------------------------------------------------------------------------


def lookup(rows: int, seed: int, home: Path) -> dict[str, float]:
    rng = random.Random(seed)
    catalog = Catalog(home / "lookup.db")
    with catalog.write() as conn:
        folder_id = queries.add_folder(conn, Path("/home/someone/Pictures"))
    for start in range(0, rows, 10_000):
        with catalog.write() as conn:
            queries.insert_photos(conn, folder_id, [
                (f"IMG_{n:06d}.JPG", 3_000_000 + n, n, None)
                for n in range(start, min(rows, start + 10_000))
            ])
    with catalog.read() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM photos ORDER BY id")]
    with_text = 0
    for start in range(0, rows, 10_000):
        batch = []
        for pid in ids[start:start + 10_000]:
            text = ""
            if rng.random() < 0.10:
                with_text += 1
                lines = _lines(rng, rng.randint(2, 12), (1, 5))
                if rng.random() < 0.1:
                    lines.append(rng.choice(CHINESE))
                text = "\n".join(lines)
            batch.append(Read(pid, 3_000_000 + pid - 1, pid - 1, text))
        with catalog.write() as conn:
            store_text(conn, batch, "bench")
    with catalog.read() as conn:  # the pages of the text, and of its trigram index
        text_bytes, index_bytes = (conn.exec_driver_sql(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name " + where).scalar_one()
            for where in ("= 'photo_text'", "LIKE 'photo_text_index%'"))
    finder = Finder(catalog)
    cases: dict[str, Callable[[], list[str]]] = {
        "one_word": lambda: [rng.choice(WORDS)],
        "two_words": lambda: [rng.choice(WORDS), rng.choice(WORDS)],
        "word_part": lambda: [rng.choice(WORDS)[:4]],  # as typed, a keystroke at a time
        "short_word": lambda: [rng.choice(WORDS)[:2]],  # LIKE over the text
        "exact_text": lambda: [f"{rng.choice(WORDS)} {rng.choice(WORDS)}"],
        "chinese_2": lambda: [rng.choice(CHINESE)[:2]],
        "chinese_4": lambda: [rng.choice([c for c in CHINESE if len(c) >= 4])],
        "absent": lambda: ["zebracrossing"],
    }
    result: dict[str, float] = {"rows": rows, "with_text": with_text,
                                "text_bytes_per_text_photo": text_bytes / max(1, with_text),
                                "index_bytes_per_text_photo": index_bytes / max(1, with_text)}
    for name, words in cases.items():
        finder.with_text(words(), 1)  # warm
        times, sql, found = [], [], []
        for _ in range(60):
            asked = words()
            started = time.perf_counter()
            with catalog.read() as conn:
                found.append(len(photos_with_text(conn, asked, EXACT_TEXT_MAX + 1)))
            sql.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            finder.with_text(asked, 1, exact=name == "exact_text")
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        result[f"{name}_p50_ms"] = statistics.median(times)  # what a keystroke pays
        result[f"{name}_p95_ms"] = times[int(len(times) * 0.95) - 1]
        result[f"{name}_sql_p50_ms"] = statistics.median(sql)  # the lookup alone
        result[f"{name}_found"] = statistics.median(found)  # photos holding the words
    catalog.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plain", type=int, default=300, help="photos without text")
    parser.add_argument("--text", type=int, default=120, help="rendered pictures with text")
    parser.add_argument("--rows", type=int, default=100_000, help="photos in the lookup test")
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime threads")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    def say(**figures: float | str) -> None:
        print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                       for k, v in figures.items()), flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if args.rows:
            say(part="lookup", **lookup(args.rows, args.seed, root))
        if not (args.plain or args.text):
            return
        plain_dir, text_dir = root / "plain", root / "text"
        plain_dir.mkdir()
        text_dir.mkdir()
        plain = plain_photos(plain_dir, args.plain, args.seed)
        drawn = text_photos(text_dir, args.text, args.seed)
        rss_before = _rss_mb()
        reader = TextReader(threads=args.threads)
        started = time.perf_counter()
        for path in [*plain[:3], *list(drawn)[:4]]:  # load and first-run allocations
            reader.read(path)
        say(part="warm_up", seconds=time.perf_counter() - started,
            rss_before_mb=rss_before, rss_loaded_mb=_rss_mb())
        if plain:
            recognitions = reader.recognitions
            per_s, stored = read_through_catalog(plain_dir, plain, reader, root / "a")
            say(part="plain", photos=len(plain), photos_per_s=per_s,
                recognised=reader.recognitions - recognitions,
                with_text_stored=sum(1 for t in stored.values() if t),
                detector_only_per_s=detector_only_per_s(plain[:100], reader))
            print("  read in photos without text:",
                  sorted({t.replace("\n", " / ") for t in stored.values() if t})[:12])
        if drawn:
            files = list(drawn)
            per_s, stored = read_through_catalog(text_dir, files, reader, root / "b")
            say(part="text", photos=len(files), full_per_s=per_s,
                detector_only_per_s=detector_only_per_s(files, reader),
                **{f"recall_{k}": v for k, v in recall(drawn, stored).items()})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rss_used = _rss_mb()
        reader.close()
        say(part="memory", rss_in_use_mb=rss_used, peak_rss_mb=peak,
            rss_after_close_mb=_rss_mb())


if __name__ == "__main__":
    main()
