"""Train the tiny shapes CLIP (test-tiny) and save its weights.

Usage: python scripts/train_shapes_clip.py [OUT] [--steps 1200] [--seed 4]

With no OUT (or OUT ending in .npz) it writes tests/data/shapes_clip.npz, the compact trained
weights the test fixture ``shapes_model_path`` rebuilds a model from; run it again only when
test-tiny or the training changes, and commit the file. With OUT.safetensors it writes full
weights instead, for: photoseek --model test-tiny:OUT.safetensors ...

Training runs on the CPU in whatever threads torch uses; its result differs a little between
machines, which does not matter here because tests use the committed file, not a fresh training.
Afterwards the script checks the committed file the way the tests use it and prints the margins.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.shapes_clip import (  # noqa: E402
    COMMITTED_WEIGHTS,
    LABELS,
    QUERIES,
    build_weights_file,
    held_out_dataset,
    ranking_margin,
    save_committed,
    train_shapes_clip,
    train_shapes_model,
    wanted_label,
)

# Chosen by trying seeds 0-5 (2 threads): with seed 4 every ranking the tests check holds with a
# clear margin, including the single-word queries of tests/test_semantic_search.py ("circle" not
# "red"), which the captions never teach (they always name a colour and a shape) and which most
# seeds get wrong. 800 steps left "blue square" ranking a blue circle among its first five.
DEFAULT_STEPS = 1200
DEFAULT_SEED = 4


def report(embedder, reference=None) -> bool:
    """Print the test_semantic margins for embedder; True when they all hold. With reference
    (the freshly trained embedder), also check both give the same text features."""
    import numpy as np

    images, targets = held_out_dataset()
    vectors = embedder.embed_pil(images)
    ok = True
    for query in QUERIES:
        scores = vectors @ embedder.embed_texts([query])[0]
        margin = ranking_margin(scores, targets, wanted_label(query))
        ok &= margin > 0
        print(f"  {query!r}: 5th match minus best non-match = {margin:+.4f}")
    # "circle" not "red", as tests/test_semantic_search.py asks: the first three non-red circles
    # against the best picture of anything else.
    circle, red = embedder.embed_texts(["circle", "red"])
    steer = circle / np.linalg.norm(circle) - red / np.linalg.norm(red)
    scores = vectors @ (steer / np.linalg.norm(steer))
    good = np.array([LABELS[t][1] == "circle" and LABELS[t][0] != "red" for t in targets])
    margin = float(np.sort(scores[good])[-3] - scores[~good].max())
    ok &= margin > 0
    print(f"  'circle' not 'red': 3rd non-red circle minus best other = {margin:+.4f}")
    texts = embedder.embed_texts([f"{c} {s}" for c, s in LABELS])
    accuracy = float(((vectors @ texts.T).argmax(1) == targets).mean())
    ok &= accuracy >= 0.85
    print(f"  zero-shot accuracy on the held-out pictures: {accuracy:.3f}")
    if reference is not None:
        words = [*QUERIES, "circle", "red"] + [f"{c} {s}" for c, s in LABELS]
        diff = float(np.abs(embedder.embed_texts(words) - reference.embed_texts(words)).max())
        same_images = float(np.abs(vectors - reference.embed_pil(images)).max())
        print(f"  largest difference from the trained model: text {diff:.2e}, "
              f"images {same_images:.2e}")
        ok &= diff < 1e-5 and same_images < 1e-5
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", default=COMMITTED_WEIGHTS,
                        help=f"a .npz (default {COMMITTED_WEIGHTS}) or a .safetensors")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    if args.out.suffix.lower() != ".npz":
        stats = train_shapes_clip(args.out, seed=args.seed, steps=args.steps)
        print(f"saved {args.out}: {int(stats['steps'])} steps in {stats['seconds']:.1f} s, "
              f"final loss {stats['loss']:.3f}")
        return 0

    import torch

    from core.models.loading import load_model
    from core.models.names import parse_model_name

    embedder, stats = train_shapes_model(seed=args.seed, steps=args.steps)
    meta = {
        "seed": args.seed, "steps": int(stats["steps"]), "final_loss": round(stats["loss"], 4),
        "threads": torch.get_num_threads(), "torch": torch.__version__,
        "python": platform.python_version(), "machine": platform.machine(),
    }
    save_committed(embedder, args.out, meta)
    size = args.out.stat().st_size
    print(f"trained {int(stats['steps'])} steps in {stats['seconds']:.1f} s "
          f"({meta['threads']} threads), final loss {stats['loss']:.3f}")
    print(f"saved {args.out} ({size / 1e6:.2f} MB)")
    print("trained model:")
    report(embedder)
    with tempfile.TemporaryDirectory() as tmp:
        # The way the fixture does it: full weights from the .npz, loaded by name.
        weights = build_weights_file(Path(tmp) / "shapes.safetensors", args.out)
        loaded = load_model(parse_model_name(f"test-tiny:{weights}"), Path(tmp), device="cpu")
        print("rebuilt from the .npz and loaded by name, as the tests do:")
        if not report(loaded, reference=embedder):
            print("FAILED: the committed weights do not pass the tests' rankings; try another "
                  "--seed or more --steps", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
