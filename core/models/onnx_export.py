"""Preparing a model for this computer's CPU: both towers exported to ONNX and quantized to int8,
the tokenizer written as a `tokenizers` file, and everything checked against the torch model.

Why: on a CPU, onnxruntime's int8 kernels run a ViT image tower about twice as fast as torch's
fp32 and reach every matrix product, the attention projections included (torch's dynamic
quantization leaves open_clip's nn.MultiheadAttention in fp32). And a prepared model loads in
a second without importing torch or building the architecture, so searching from a cold start
and starting to index both take seconds.

Quantization is dynamic (weights int8 per output channel, activations per batch) on MatMul and
Gemm, and on the text tower's embedding table (Gather), which is most of a SigLIP model's size.
A tower stays fp32 where its int8 vectors would drift from torch's: every package is checked on
probe pictures and texts, and the figures are kept in its manifest.
"""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import Cancelled
from core.models.embedder import unit_rows
from core.models.onnx_embedder import new_session
from core.models.onnx_package import (
    IMAGE_FILE,
    MANIFEST,
    PACKAGE_VERSION,
    TEXT_FILE,
    TOKENIZER_FILE,
    Manifest,
    TextSpec,
    install_package,
    staging_dir,
)
from core.models.tokens import TextTokens

if TYPE_CHECKING:
    import torch

    from core.models.torch_embedder import TorchEmbedder

log = logging.getLogger(__name__)

# The least cosine between an int8 vector and the fp32 torch vector of the same input for the
# int8 tower to be used (different photos are far further apart than this).
MIN_INT8_COSINE = 0.995
# ONNX's exported graph must agree with torch in fp32 to this (numerical noise only).
MIN_FP32_COSINE = 0.9999
OPSET = 17
PROBE_TEXTS = (
    "a dog on the beach at sunset", "grandma's 80th birthday party", "red circle",
    "海边的日落", "猫在沙发上睡觉", "東京タワーの夜景", "Ночной город", "🎂 birthday cake 🎉",
    "a photo of a receipt, total: $12.50 (paid)", "  extra   spaces\tand\nnew lines  ",
    "Tom &amp; Jerry &lt;3", "UPPER case WORDS", "x", "",
    "a very long description " * 20, "naïve café crème brûlée", "snake_case and kebab-case",
)

Progress = Callable[[int, int], None]


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("Preparing the model was cancelled.")


# --------------------------------------------------------------------------- tokenizer


def _clean_mode(tokenizer: Any) -> str:
    """The name core.models.tokens knows for the clean function open_clip's tokenizer uses."""
    return {"_clean_lower": "lower", "_clean_whitespace": "whitespace",
            "_clean_canonicalize": "canonicalize"}[tokenizer.clean_fn.__name__]


def _clip_tokenizer_file(tokenizer: Any, path: Path) -> TextSpec:
    """open_clip's CLIP BPE tokenizer as a `tokenizers` file: its vocabulary and merges with the
    normalizer and pre-tokenizer transformers' CLIP converter uses (start and end tokens are
    added by core.models.tokens, as open_clip adds them)."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import BPE

    ranked = sorted(tokenizer.bpe_ranks.items(), key=lambda item: item[1])
    fast = Tokenizer(BPE(
        vocab=dict(tokenizer.encoder), merges=[pair for pair, _rank in ranked], dropout=None,
        continuing_subword_prefix="", end_of_word_suffix="</w>", fuse_unk=False,
        unk_token="<|endoftext|>",
    ))
    fast.normalizer = normalizers.Sequence(
        [normalizers.NFC(), normalizers.Replace(Regex(r"\s+"), " "), normalizers.Lowercase()]
    )
    fast.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(
            Regex(r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""),
            behavior="removed", invert=True,
        ),
        pre_tokenizers.ByteLevel(add_prefix_space=False),
    ])
    fast.decoder = decoders.ByteLevel()
    fast.save(str(path))
    clean = _clean_mode(tokenizer)
    return TextSpec(
        context_length=int(tokenizer.context_length), clean=clean, wrap="clip",
        bos_id=int(tokenizer.sot_token_id), eos_id=int(tokenizer.eot_token_id), pad_id=0,
    )


def _hf_tokenizer_file(tokenizer: Any, path: Path) -> TextSpec:
    """open_clip's HFTokenizer: its transformers tokenizer's backend, set to truncate and pad as
    open_clip calls it (max_length, padding to max_length, truncation)."""
    hf = tokenizer.tokenizer
    length = int(tokenizer.context_length)
    backend = hf.backend_tokenizer
    backend.enable_truncation(max_length=length)
    pad_id = int(hf.pad_token_id) if hf.pad_token_id is not None else 0
    backend.enable_padding(
        length=length, pad_id=pad_id, pad_token=hf.pad_token or "",
        direction=getattr(hf, "padding_side", "right"),
    )
    backend.save(str(path))
    clean = _clean_mode(tokenizer)
    strip = hf.sep_token_id if getattr(tokenizer, "strip_sep_token", False) else None
    return TextSpec(context_length=length, clean=clean, wrap="hf", pad_id=pad_id,
                    strip_sep_id=int(strip) if strip is not None else None)


def write_tokenizer(embedder: TorchEmbedder, path: Path) -> TextSpec:
    """Write the tokenizer file; raise ValueError for a tokenizer this cannot reproduce."""
    tokenizer = embedder.tokenizer
    if hasattr(tokenizer, "bpe_ranks") and hasattr(tokenizer, "sot_token_id"):
        return _clip_tokenizer_file(tokenizer, path)
    if getattr(tokenizer, "tokenizer_mode", "") == "" and hasattr(tokenizer, "tokenizer") \
            and hasattr(getattr(tokenizer, "tokenizer", None), "backend_tokenizer"):
        return _hf_tokenizer_file(tokenizer, path)
    raise ValueError(f"{type(tokenizer).__name__} tokenizers are not prepared for onnxruntime")


# --------------------------------------------------------------------------- graphs


def _tower(embedder: TorchEmbedder, method: str) -> torch.nn.Module:
    """One tower of the model as a module to trace: ``encode_image`` or ``encode_text``,
    unnormalised (the Embedder normalises every backend's output the same way)."""
    import torch

    model = embedder.model

    class Tower(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, inputs: torch.Tensor) -> torch.Tensor:
            return getattr(self.model, method)(inputs)

    return Tower()


def _export(module: torch.nn.Module, example: torch.Tensor, path: Path, input_name: str,
            dynamic: dict[int, str]) -> None:
    import torch

    # With no parameter needing a gradient, nn.MultiheadAttention takes its fused inference
    # kernel, which ONNX cannot express: trace with gradients on (nothing is back-propagated).
    module.requires_grad_(True)
    try:
        with warnings.catch_warnings(), torch.inference_mode(False), torch.enable_grad():
            warnings.simplefilter("ignore")  # tracer warnings about Python control flow
            torch.onnx.export(
                module, (example,), str(path), input_names=[input_name],
                output_names=["features"],
                dynamic_axes={input_name: dynamic, "features": {0: "batch"}},
                opset_version=OPSET, dynamo=False,
            )
    finally:
        module.requires_grad_(False)


def _quantize(source: Path, target: Path, ops: list[str]) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quiet = logging.getLogger()
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "consider pre-processing" advice on every call
    try:
        quantize_dynamic(source, target, weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=ops)
    finally:
        quiet.setLevel(level)


# --------------------------------------------------------------------------- checks


def probe_pixels(embedder: TorchEmbedder, count: int = 12) -> np.ndarray:
    """Pictures with the structure of photos (smooth gradients, edges, texture) made from a
    fixed seed, preprocessed as the model wants them."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = np.random.default_rng(7)
    pictures = []
    for n in range(count):
        w, h = int(rng.integers(200, 480)), int(rng.integers(200, 480))
        base = np.linspace(0, 1, w)[None, :, None] * rng.uniform(0, 255, 3) + \
            np.linspace(0, 1, h)[:, None, None] * rng.uniform(0, 255, 3)
        image = Image.fromarray(np.clip(base / 2, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(image)
        for _ in range(3 + n % 5):
            x0, y0 = int(rng.integers(0, w - 20)), int(rng.integers(0, h - 20))
            box = (x0, y0, x0 + int(rng.integers(10, w // 2)), y0 + int(rng.integers(10, h // 2)))
            colour = tuple(int(v) for v in rng.integers(0, 256, 3))
            (draw.ellipse if n % 2 else draw.rectangle)(box, fill=colour)
        noise = rng.normal(0, 12 + n, (h, w, 3))
        pixels = np.clip(np.asarray(image, np.float32) + noise, 0, 255).astype(np.uint8)
        image = Image.fromarray(pixels).filter(ImageFilter.GaussianBlur(n % 3))
        pictures.append(embedder.preprocess(image))
    return np.stack(pictures)


def _min_cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float((unit_rows(a) * unit_rows(b)).sum(axis=1).min())


# --------------------------------------------------------------------------- the whole


def prepare_package(
    embedder: TorchEmbedder,
    identity: str,
    models_dir: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Manifest:
    """Export, quantize, check and install ``embedder``'s prepared model; returns its manifest.

    Takes about a minute for a ViT-B model on two cores. Raises ValueError when the model
    cannot be prepared (it then stays on torch), Cancelled when asked to stop.
    """
    import torch

    if embedder.device != "cpu" or embedder.image_precision == "fp16":
        raise ValueError("only a model on the CPU is prepared")
    if embedder._pixels is None:
        raise ValueError("this model's preprocessing is not reproduced without torch")
    steps, done = 7, 0

    def step() -> None:
        nonlocal done
        _check(cancel)
        done += 1
        if progress is not None:
            progress(done, steps)

    started = time.monotonic()
    staging = staging_dir(models_dir, identity)
    try:
        spec = write_tokenizer(embedder, staging / TOKENIZER_FILE)
        tokens = TextTokens(staging / TOKENIZER_FILE, spec)
        probe_ids = tokens.ids(list(PROBE_TEXTS))
        if not np.array_equal(probe_ids, embedder.tokenizer(list(PROBE_TEXTS)).numpy()):
            raise ValueError("the tokenizer file does not reproduce open_clip's token ids")
        step()

        pixels = probe_pixels(embedder)
        with torch.inference_mode():
            # fp32 torch is the reference (the torch embedder's own image tower may be int8)
            image_ref = embedder.model.encode_image(torch.from_numpy(pixels)).float().numpy()
            text_ref = embedder._encode_texts(list(PROBE_TEXTS))  # noqa: SLF001
        fp32_image, fp32_text = staging / "image.fp32.onnx", staging / "text.fp32.onnx"
        _export(_tower(embedder, "encode_image"), torch.from_numpy(pixels[:2]), fp32_image,
                "pixels", {0: "batch"})
        step()
        _export(_tower(embedder, "encode_text"), torch.from_numpy(probe_ids[:2]), fp32_text,
                "tokens", {0: "batch"})
        step()
        _quantize(fp32_image, staging / IMAGE_FILE, ["MatMul", "Gemm"])
        step()
        _quantize(fp32_text, staging / TEXT_FILE, ["MatMul", "Gemm", "Gather"])
        step()

        checks: dict[str, float] = {}
        precision: dict[str, str] = {}
        for tower, fp32, final, inputs, ref in (
            ("image", fp32_image, staging / IMAGE_FILE, {"pixels": pixels}, image_ref),
            ("text", fp32_text, staging / TEXT_FILE, {"tokens": probe_ids}, text_ref),
        ):
            exported = _min_cosine(new_session(fp32).run(None, inputs)[0], ref)
            if exported < MIN_FP32_COSINE:
                raise ValueError(f"the exported {tower} tower disagrees with torch "
                                 f"(cosine {exported:.4f})")
            int8 = _min_cosine(new_session(final).run(None, inputs)[0], ref)
            checks[f"{tower}_fp32_min_cosine"] = round(exported, 6)
            checks[f"{tower}_int8_min_cosine"] = round(int8, 6)
            precision[tower] = "int8" if int8 >= MIN_INT8_COSINE else "fp32"
            if precision[tower] == "fp32":
                log.warning("int8 %s tower of %s drifts (cosine %.4f): kept in fp32",
                            tower, embedder.name, int8)
                fp32.replace(final)
            else:
                fp32.unlink()
        step()
        checks["seconds"] = round(time.monotonic() - started, 1)
        manifest = Manifest(
            version=PACKAGE_VERSION, name=embedder.name, identity=identity, dim=embedder.dim,
            pixels=embedder._pixels, text=spec,  # noqa: SLF001
            logit_scale=embedder.logit_scale, logit_bias=embedder.logit_bias,
            image_precision=precision["image"], text_precision=precision["text"], checks=checks,
        )
        (staging / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        install_package(staging, models_dir, identity)
        step()
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("prepared %s for onnxruntime in %.0f s: %s", embedder.name, checks["seconds"],
             checks)
    return manifest
