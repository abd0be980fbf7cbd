"""A tiny CLIP that really understands a little text: coloured shapes and their captions.

Random weights prove the plumbing but not that text and images land in the same space. Training
``test-tiny`` for a few seconds on "a red circle"-style pictures does: afterwards the text query
"red circle" must rank red circles first. Used by tests (fixture ``shapes_model_path``) and by
scripts/train_shapes_clip.py.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw

COLOURS: dict[str, tuple[int, int, int]] = {
    "red": (215, 35, 35),
    "green": (35, 165, 50),
    "blue": (35, 65, 215),
    "yellow": (235, 205, 35),
}
SHAPES: tuple[str, ...] = ("circle", "square", "triangle")
LABELS: list[tuple[str, str]] = [(c, s) for c in COLOURS for s in SHAPES]
SIDE = 64
LR = 2e-3


# Several phrasings so that a bare query like "red circle" works as well as "a red circle".
TEMPLATES: tuple[str, ...] = ("a {c} {s}", "{c} {s}", "a photo of a {c} {s}", "{c} {s} shape")


def caption(colour: str, shape: str, template: str = TEMPLATES[0]) -> str:
    return template.format(c=colour, s=shape)


def draw_shape(rng: random.Random, colour: str, shape: str, side: int = SIDE) -> Image.Image:
    """One picture: a shape of random size and place on a random neutral background."""
    grey = rng.randint(40, 235)
    background = tuple(max(0, min(255, grey + rng.randint(-12, 12))) for _ in range(3))
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    half = rng.randint(side // 5, side // 3)
    cx = rng.randint(half + 1, side - half - 2)
    cy = rng.randint(half + 1, side - half - 2)
    fill = tuple(max(0, min(255, v + rng.randint(-20, 20))) for v in COLOURS[colour])
    box = (cx - half, cy - half, cx + half, cy + half)
    if shape == "circle":
        draw.ellipse(box, fill=fill)
    elif shape == "square":
        draw.rectangle(box, fill=fill)
    else:
        draw.polygon([(cx, cy - half), (cx - half, cy + half), (cx + half, cy + half)], fill=fill)
    return image


def make_dataset(
    n: int, seed: int, labels: Sequence[tuple[str, str]] = LABELS
) -> tuple[list[Image.Image], list[int]]:
    """n pictures cycling through labels (balanced); returns images and label indices."""
    rng = random.Random(seed)
    images, targets = [], []
    for i in range(n):
        k = i % len(labels)
        images.append(draw_shape(rng, *labels[k]))
        targets.append(k)
    return images, targets


def train_shapes_clip(
    out_path: Path,
    *,
    seed: int = 0,
    steps: int = 800,
    batch_size: int = 128,
    n_images: int = 2400,
    time_budget_s: float | None = None,
) -> dict[str, float]:
    """Train test-tiny contrastively on shapes; save a .safetensors to out_path; return stats.

    The loss is CLIP's symmetric cross-entropy against the 12 distinct captions (duplicate
    captions in a batch would otherwise be false negatives of each other).
    """
    import torch
    import torch.nn.functional as F
    from safetensors.torch import save_file

    from core.models.loading import load_model
    from core.models.names import parse_model_name

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as cache:
        embedder = load_model(parse_model_name("test-tiny"), Path(cache), device="cpu")
    model = embedder.model
    images, targets = make_dataset(n_images, seed)
    pixels = torch.stack([embedder.preprocess(im) for im in images])
    labels = torch.tensor(targets)
    tokens = [embedder._tokenizer([caption(c, s, t) for c, s in LABELS]) for t in TEMPLATES]

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model.train()
        model.requires_grad_(True)
        # Random token embeddings already tell "red" from "blue"; freezing the 49408x64 table
        # saves most of the optimiser's work without hurting what the model can learn here.
        model.token_embedding.requires_grad_(False)
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.AdamW(params, lr=LR, weight_decay=0.01)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=steps,
                                                    pct_start=0.1)
        loss_value = float("nan")
        done = 0
        for done in range(1, steps + 1):
            idx = torch.randint(0, len(labels), (batch_size,))
            img = F.normalize(model.encode_image(pixels[idx]), dim=-1)
            txt = F.normalize(embedder.text_encoder(tokens[done % len(tokens)]), dim=-1)
            logits = model.logit_scale.exp() * img @ txt.T  # (B, 12)
            y = labels[idx]
            # text -> image: each caption's targets are the images that show it
            match = (y[None, :] == torch.arange(len(LABELS))[:, None]).float()  # (12, B)
            present = match.sum(1) > 0
            soft = match[present] / match[present].sum(1, keepdim=True)
            t2i = -(soft * F.log_softmax(logits.T[present], dim=-1)).sum(1).mean()
            loss = (F.cross_entropy(logits, y) + t2i) / 2
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_value = float(loss.detach())
            # Optional: a fixed step count keeps results identical across machines.
            if time_budget_s is not None and time.perf_counter() - start > time_budget_s:
                break
        model.eval()
        model.requires_grad_(False)

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(state, str(out_path))
    return {"seconds": time.perf_counter() - start, "steps": float(done), "loss": loss_value}
