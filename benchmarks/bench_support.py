"""What the model benchmarks share: real photos, a cache of 12 MP JPEGs, and the hub files a
random-weight model needs besides its (absent) weights.

- ``real_photos``: the varied real photos scikit-image ships (people, animals, objects, text,
  microscopy, space, textures, drawings), each once, as RGB.
- ``cached_12mp_jpegs``: 4000x3000 JPEGs made from those photos with sensor-like noise, kept in a
  folder under /tmp so that a rerun skips making them (each is written under a temporary name and
  renamed, so an interrupted run never leaves a truncated file in the cache).
- ``place_hub_files``: SigLIP 2 (Gemma tokenizer) and the multilingual CLIP (XLM-R tokenizer and
  config) read files from the hub that cannot be downloaded here. The test suite's builder
  (tests/hf_assets.py) makes small stand-ins in the real formats and puts them where a download
  puts them; the architectures are the real ones (real compute), only the vocabulary is small.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests.hf_assets, when run as a script
    sys.path.insert(0, str(ROOT))

DEFAULT_MODEL = "random:ViT-B-32-SigLIP2-256"
JPEG_CACHE = Path("/tmp/photoseek-bench/12mp")
PHOTO_NAMES = (
    "astronaut", "chelsea", "coffee", "rocket", "camera", "page", "text",
    "immunohistochemistry", "hubble_deep_field", "retina", "cat", "brick", "grass", "gravel",
    "moon", "horse", "coins", "clock", "colorwheel", "logo",
)
HUB_NOTE = ("hub files: SigLIP 2 / XLM-R tokenizers are small real-format stand-ins built by "
            "tests/hf_assets.py (real architectures, random weights, real compute)")


def real_photos() -> list[tuple[str, Image.Image]]:
    """scikit-image's sample photos available offline, as RGB, each picture once (``cat`` is
    ``chelsea``)."""
    from skimage import data

    photos, seen = [], set()
    for name in PHOTO_NAMES:
        try:
            array = np.asarray(getattr(data, name)())
        except Exception:  # a sample that needs a download: use the others
            continue
        if array.dtype == bool:
            array = array.astype(np.uint8) * 255
        digest = hashlib.blake2b(array.tobytes(), digest_size=8).digest()
        if digest in seen:
            continue
        seen.add(digest)
        photos.append((name, Image.fromarray(array).convert("RGB")))
    return photos


def _make_12mp(source: Image.Image, seed: int, path: Path) -> None:
    rng = np.random.default_rng(seed)
    base = source.resize((4000, 3000), Image.Resampling.BICUBIC)
    pixels = np.asarray(base, dtype=np.int16)
    noise = rng.integers(-12, 13, size=pixels.shape, dtype=np.int16)
    image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    partial = path.with_name(path.name + ".partial")
    image.save(partial, format="JPEG", quality=92)
    os.replace(partial, path)


def cached_12mp_jpegs(count: int, cache: Path = JPEG_CACHE, workers: int = 2) -> list[Path]:
    """``count`` 12 MP JPEGs (4000x3000, about 3-4 MB) of varied real content; only the ones
    missing from ``cache`` are made. Photo n is the same on every run."""
    cache.mkdir(parents=True, exist_ok=True)
    sources = [image for _name, image in real_photos()]
    paths = [cache / f"IMG_{n:04d}.jpg" for n in range(count)]
    missing = [(n, p) for n, p in enumerate(paths) if not p.is_file()]
    if missing:
        print(f"making {len(missing)} 12 MP JPEGs in {cache} (once; reruns reuse them)…",
              flush=True)
        # Pillow releases the GIL while resizing and encoding: threads share the cores.
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(lambda item: _make_12mp(sources[item[0] % len(sources)], item[0],
                                                  item[1]), missing))
    return paths


def place_hub_files(models_dir: Path, name: str) -> bool:
    """Put the tokenizer (and text config) files model ``name`` reads from the hub where a
    download would; True when stand-ins were needed."""
    from core.models.assets import hf_text_model_repo, hf_tokenizer_repo, missing_assets
    from core.models.names import parse_model_name
    from tests.hf_assets import write_gemma_tokenizer, write_xlm_roberta_base

    arch = parse_model_name(name).arch
    if not missing_assets(arch, models_dir):
        return hf_tokenizer_repo(arch) is not None
    repo = hf_tokenizer_repo(arch)
    if repo == "xlm-roberta-base" or hf_text_model_repo(arch) == "xlm-roberta-base":
        write_xlm_roberta_base(models_dir)
    elif repo is not None:
        write_gemma_tokenizer(models_dir, repo)
    return True


def offline() -> None:
    """Everything is on the disk: tell the hub libraries not to ask the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation, as numpy's default."""
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def short(name: str) -> str:
    """A model name without 'random:' and its pretrained tag, for tables."""
    return name.removeprefix("random:").split(":")[0]
