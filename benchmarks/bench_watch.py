"""Copy N photos into a watched folder; time until all are searchable, count write transactions.

    .venv/bin/python benchmarks/bench_watch.py                    # 2,000 photos, random:ViT-B-32
    .venv/bin/python benchmarks/bench_watch.py --model test-tiny  # a quick run
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402

from core.library import Library  # noqa: E402
from core.lifecycle.indexing_service import IndexingService  # noqa: E402
from core.lifecycle.watcher import FolderWatcher  # noqa: E402


def make_jpeg(path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    img = Image.new("RGB", (640, 480), tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(8):
        x, y = rnd.randrange(600), rnd.randrange(440)
        box = (x, y, x + rnd.randrange(20, 200), y + rnd.randrange(20, 200))
        draw.ellipse(box, fill=tuple(rnd.randrange(256) for _ in range(3)))
    img.save(path, quality=88)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--model", default="random:ViT-B-32")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
        work = Path(tmp)
        source, watched = work / "source", work / "watched"
        source.mkdir()
        watched.mkdir()
        for n in range(args.photos):
            make_jpeg(source / f"photo_{n:05d}.jpg", n)
        library = Library(home=work / "home", model=args.model)
        library.add_folder(watched)
        library.prepare()  # model load is not what this measures
        service = IndexingService(library)
        watcher = FolderWatcher(library, service)
        service.start()
        watcher.start()
        assert service.wait_idle(60)
        writes_before = library.catalog.write_count
        started = time.monotonic()
        for path in sorted(source.iterdir()):
            shutil.copy(path, watched / path.name)
        copied = time.monotonic() - started
        while library.status().indexed < args.photos:
            time.sleep(0.1)
        searchable = time.monotonic() - started
        writes = library.catalog.write_count - writes_before
        watcher.stop()
        service.stop()
        library.close()
    print(f"model {args.model}: {args.photos} photos copied in {copied:.1f} s; all searchable "
          f"after {searchable:.1f} s ({args.photos / searchable:.1f} photos/s); "
          f"{writes} write transactions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
