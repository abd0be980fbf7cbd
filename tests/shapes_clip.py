"""A tiny CLIP that really understands a little text: coloured shapes and their captions.

Random weights prove the plumbing but not that text and images land in the same space. Training
``test-tiny`` on "a red circle"-style pictures does: afterwards the text query "red circle" must
rank red circles first.

Training happens once, in scripts/train_shapes_clip.py, never in a test session: its result
depends on the machine (thread count, speed) and it takes half a minute or more. The script
writes the trained weights to tests/data/shapes_clip.npz (COMMITTED_WEIGHTS), and the fixture
``shapes_model_path`` rebuilds a full test-tiny weights file from it with ``build_weights_file``,
which takes well under a second and gives the same model on every machine.

The committed file is small because the 49408 x 64 token embedding is frozen during training
(it stays the fixed-seed random init) and only the rows of the tokens the captions use are kept;
every trained tensor is stored in full, in float32.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
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

# The trained weights, as written by scripts/train_shapes_clip.py.
COMMITTED_WEIGHTS = Path(__file__).resolve().parent / "data" / "shapes_clip.npz"
REGENERATE = "python scripts/train_shapes_clip.py"
TOKEN_TABLE = "token_embedding.weight"
# Keys of the .npz besides the state dict's; state dict keys never start with "__".
TOKEN_IDS_KEY = "__token_ids__"
META_KEY = "__meta__"


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


# The pictures tests/test_semantic.py searches: a seed training never uses, 5 of each of 8 labels,
# including the hard negatives that share a colour or a shape with the queries.
HELD_OUT_SEED = 987_654
HELD_OUT_LABELS: list[tuple[str, str]] = [LABELS[i] for i in (0, 1, 2, 3, 6, 7, 10, 11)]
QUERIES: tuple[str, ...] = ("red circle", "blue square", "a yellow triangle")


def held_out_dataset() -> tuple[list[Image.Image], np.ndarray]:
    """40 unseen pictures and their indices into LABELS."""
    images, picks = make_dataset(40, seed=HELD_OUT_SEED, labels=HELD_OUT_LABELS)
    return images, np.array([LABELS.index(HELD_OUT_LABELS[k]) for k in picks])


def wanted_label(query: str) -> int:
    """The index into LABELS of the one colour and shape a query names."""
    wanted = [i for i, (c, s) in enumerate(LABELS) if f"{c} {s}" in query]
    assert len(wanted) == 1, query
    return wanted[0]


def ranking_margin(scores: np.ndarray, targets: np.ndarray, wanted: int) -> float:
    """Lowest score of a matching picture minus the highest of any other: above zero exactly
    when every match ranks above every non-match."""
    return float(scores[targets == wanted].min() - scores[targets != wanted].max())


def _tiny_embedder() -> Any:
    """test-tiny exactly as the app builds it by name: fixed-seed random weights, on CPU."""
    from core.models.loading import load_model
    from core.models.names import parse_model_name

    with tempfile.TemporaryDirectory() as cache:
        return load_model(parse_model_name("test-tiny"), Path(cache), device="cpu")


def train_shapes_model(
    *,
    seed: int = 0,
    steps: int = 800,
    batch_size: int = 128,
    n_images: int = 2400,
    time_budget_s: float | None = None,
) -> tuple[Any, dict[str, float]]:
    """Train test-tiny contrastively on shapes; return the (eval-mode) Embedder and stats.

    The loss is CLIP's symmetric cross-entropy against the 12 distinct captions (duplicate
    captions in a batch would otherwise be false negatives of each other). The result depends on
    the machine's thread count (float sums in another order), which is why tests never train.
    """
    import torch
    import torch.nn.functional as F

    start = time.perf_counter()
    embedder = _tiny_embedder()
    model = embedder.model
    images, targets = make_dataset(n_images, seed)
    pixels = torch.from_numpy(np.stack([embedder.preprocess(im) for im in images]))
    labels = torch.tensor(targets)
    tokens = [embedder._tokenizer([caption(c, s, t) for c, s in LABELS]) for t in TEMPLATES]

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model.train()
        model.requires_grad_(True)
        # Random token embeddings already tell "red" from "blue"; freezing the 49408x64 table
        # saves most of the optimiser's work without hurting what the model can learn here,
        # and lets the committed file keep only the rows the captions use.
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
            # Optional: a fixed step count keeps results identical across runs of one machine.
            if time_budget_s is not None and time.perf_counter() - start > time_budget_s:
                break
        model.eval()
        model.requires_grad_(False)
    stats = {"seconds": time.perf_counter() - start, "steps": float(done), "loss": loss_value}
    return embedder, stats


def train_shapes_clip(
    out_path: Path,
    *,
    seed: int = 0,
    steps: int = 800,
    batch_size: int = 128,
    n_images: int = 2400,
    time_budget_s: float | None = None,
) -> dict[str, float]:
    """Train test-tiny on shapes (train_shapes_model); save a full .safetensors; return stats.

    For scripts only: the test session loads the committed weights instead (build_weights_file).
    """
    from safetensors.torch import save_file

    embedder, stats = train_shapes_model(
        seed=seed, steps=steps, batch_size=batch_size, n_images=n_images,
        time_budget_s=time_budget_s,
    )
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().contiguous() for k, v in embedder.model.state_dict().items()}
    save_file(state, str(out_path))
    return stats


# --------------------------------------------------------------------------- committed weights


def caption_token_ids(tokenizer: Any) -> list[int]:
    """Every token id the training captions use, start/end-of-text included, padding not."""
    ids = {int(tokenizer.sot_token_id), int(tokenizer.eot_token_id)}
    for template in TEMPLATES:
        tokens = tokenizer([caption(c, s, template) for c, s in LABELS])
        ids.update(int(t) for t in tokens.flatten().tolist() if t != 0)  # 0 pads after the end
    return sorted(ids)


def save_committed(embedder: Any, path: Path, meta: dict[str, Any]) -> None:
    """Write a trained test-tiny as a compressed .npz: the caption tokens' rows of the (frozen)
    token embedding with their ids, every other tensor in full, float32, and ``meta`` as JSON."""
    state = {k: v.detach().cpu() for k, v in embedder.model.state_dict().items()}
    ids = caption_token_ids(embedder._tokenizer)
    arrays: dict[str, np.ndarray] = {
        k: v.numpy().astype(np.float32) for k, v in state.items() if k != TOKEN_TABLE
    }
    arrays[TOKEN_TABLE] = state[TOKEN_TABLE][ids].numpy().astype(np.float32)
    arrays[TOKEN_IDS_KEY] = np.asarray(ids, dtype=np.int64)
    arrays[META_KEY] = np.asarray(json.dumps(meta, sort_keys=True))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def read_committed(path: Path = COMMITTED_WEIGHTS) -> tuple[dict[str, np.ndarray], dict]:
    """The .npz written by save_committed: (arrays by key, meta). FileNotFoundError, with what
    to run, when it is missing."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"The trained shapes CLIP weights are missing: {path}. Make them once with "
            f"`{REGENERATE}` (it trains for a few minutes on a CPU) and commit the file."
        )
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays.pop(META_KEY))) if META_KEY in arrays else {}
    return arrays, meta


def committed_state(path: Path = COMMITTED_WEIGHTS) -> dict[str, Any]:
    """A full test-tiny state dict from the committed file.

    The model is built exactly as ``load_model("test-tiny")`` builds it, for its tensor names,
    shapes and dtypes, then EVERY tensor is replaced: the trained ones by their committed values,
    the token embedding by the committed rows with ZEROS in all other rows. Zeros rather than the
    seeded init, so that the model the tests use is wholly the committed file (not whatever
    random numbers the installed torch/open_clip draw), and so that a token id the training
    captions never used contributes nothing: a query can only rank right through the very ids
    the model was trained on, never by luck through some random row. For queries made of
    caption words the features equal the trained model's exactly (other rows are never read).
    """
    import torch

    arrays, _meta = read_committed(path)
    ids = torch.from_numpy(arrays.pop(TOKEN_IDS_KEY))
    rows = torch.from_numpy(arrays.pop(TOKEN_TABLE))
    template = _tiny_embedder().model.state_dict()
    expected = set(template)
    if set(arrays) | {TOKEN_TABLE} != expected:
        missing = sorted(expected - set(arrays) - {TOKEN_TABLE})
        extra = sorted(set(arrays) - expected)
        raise ValueError(
            f"{path} does not fit test-tiny (missing {missing[:3]}, unexpected {extra[:3]}); "
            f"regenerate it with `{REGENERATE}`."
        )
    state: dict[str, Any] = {}
    for key, like in template.items():
        if key == TOKEN_TABLE:
            table = torch.zeros_like(like)
            table[ids] = rows.to(like.dtype)
            state[key] = table
            continue
        value = torch.from_numpy(arrays[key]).to(like.dtype)
        if value.shape != like.shape:
            raise ValueError(
                f"{path}: {key} has shape {tuple(value.shape)}, test-tiny needs "
                f"{tuple(like.shape)}; regenerate it with `{REGENERATE}`."
            )
        state[key] = value.contiguous()
    return state


def build_weights_file(out_path: Path, npz_path: Path = COMMITTED_WEIGHTS) -> Path:
    """Write the committed shapes CLIP as a full test-tiny .safetensors (load it by the name
    ``test-tiny:<out_path>``); no training. Returns out_path."""
    from safetensors.torch import save_file

    state = committed_state(npz_path)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    save_file(state, str(out_path))
    return out_path
