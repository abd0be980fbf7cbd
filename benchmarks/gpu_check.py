"""GPU checks, for a machine with CUDA: device choice, fp16 agreement with CPU fp32, the exact
truncated text path on the GPU, and indexing throughput on 12 MP JPEGs.

    python benchmarks/gpu_check.py --photos 64
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_indexing import make_12mp_jpegs  # noqa: E402
from core.library import Library  # noqa: E402
from core.models.loading import load_model
from core.models.names import parse_model_name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=64)
    args = parser.parse_args()
    import torch
    from PIL import Image
    from skimage import data

    report: dict[str, object] = {"cuda": torch.cuda.is_available()}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "models"
        spec = parse_model_name("random:ViT-B-32")
        gpu = load_model(spec, cache, "auto")
        cpu = load_model(spec, cache, "cpu")
        report["device"] = gpu.device
        report["gpu_image_precision"] = gpu.image_precision
        photos = [Image.fromarray(a).convert("RGB") for a in
                  (data.astronaut(), data.chelsea(), data.coffee(), data.rocket())]
        a, b = gpu.embed_pil(photos), cpu.embed_pil(photos)
        report["image_cos_min_gpu_vs_cpu"] = float(np.min(np.sum(a * b, axis=1)))
        texts = ["red circle", "a dog running on a sunny beach with a ball", "x"]
        ta, tb = gpu.embed_texts(texts), cpu.embed_texts(texts)
        report["text_cos_min_gpu_vs_cpu"] = float(np.min(np.sum(ta * tb, axis=1)))
        with torch.inference_mode():
            tokens = gpu._tokenizer(texts).to(gpu.device)
            full = torch.nn.functional.normalize(gpu.model.encode_text(tokens).float(), dim=-1)
        report["text_fast_path_max_abs_diff"] = float(np.max(np.abs(ta - full.cpu().numpy())))

        t = time.perf_counter()
        for n in range(50):
            gpu.embed_texts([f"query number {n}"])
        report["gpu_text_query_ms"] = (time.perf_counter() - t) * 1000 / 50

        folder = Path(tmp) / "photos"
        make_12mp_jpegs(folder, args.photos)
        library = Library(home=Path(tmp) / "home", model="random:ViT-B-32", device="auto")
        library.prepare()
        library.add_folder(folder)
        t = time.perf_counter()
        summary = library.index()
        seconds = time.perf_counter() - t
        report["gpu_index_photos_per_s"] = summary.embedded / seconds
        report["gpu_index_embedded"] = summary.embedded
        library.close()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
