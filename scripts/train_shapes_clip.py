"""Train the tiny shapes CLIP (test-tiny) and save its weights.

Usage: python scripts/train_shapes_clip.py OUT.safetensors [--steps 800] [--seed 0]
Then: photoseek --model test-tiny:OUT.safetensors ...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.shapes_clip import train_shapes_clip  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    stats = train_shapes_clip(args.out, seed=args.seed, steps=args.steps)
    print(
        f"saved {args.out}: {int(stats['steps'])} steps in {stats['seconds']:.1f} s, "
        f"final loss {stats['loss']:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
