"""Model names, weights files and loading.

A model name is the identity stored beside every vector, so it is canonical and explicit:

- ``ARCH:TAG``            open_clip pretrained weights, e.g. ``ViT-B-32:laion2b_s34b_b79k``
- ``ARCH:/path/file``     local weights (.safetensors, or .pt/.pth/.bin read with weights_only)
- ``random:ARCH``         random weights from a fixed seed; benchmarks and tests only
- ``test-tiny``           a small built-in architecture with fixed-seed random weights
- ``test-tiny:/path``     the same architecture with trained weights from a file

torch and open_clip are imported inside functions so that ``import core.models`` is instant and
the window can appear before the heavy libraries load.
"""

from __future__ import annotations

import difflib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ModelUnavailableError
from core.weights_download import (  # re-exported: callers find all about models here
    cached_weights,  # noqa: F401
    download_weights,
)

if TYPE_CHECKING:
    import torch

    from core.embedder import Embedder

log = logging.getLogger(__name__)

DEFAULT_MODEL = "ViT-B-32:laion2b_s34b_b79k"
TEST_TINY = "test-tiny"
RANDOM_PREFIX = "random"
WEIGHT_SUFFIXES = (".safetensors", ".pt", ".pth", ".bin")
# Seed for every model built without weights, so two runs embed alike.
INIT_SEED = 0

# Small enough to embed 32 images in a few milliseconds on one CPU core, yet a real CLIP:
# causal text transformer with the standard 49408-token BPE vocabulary, ViT image tower.
TEST_TINY_CONFIG: dict[str, Any] = {
    "embed_dim": 64,
    "vision_cfg": {"image_size": 64, "layers": 2, "width": 64, "patch_size": 16, "head_width": 32},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2},
}


@dataclass(frozen=True)
class ModelInfo:
    """A model offered in Settings. Sizes are approximate fp32 download sizes."""

    name: str
    download_mb: int
    note: str


KNOWN_MODELS: list[ModelInfo] = [
    ModelInfo(DEFAULT_MODEL, 605, "Fast, good. Recommended for most computers."),
    ModelInfo("ViT-B-16:laion2b_s34b_b88k", 600, "Better detail, about 4x slower on CPU."),
    ModelInfo("ViT-L-14:laion2b_s32b_b82k", 1710, "Best quality; slow on CPU, fine on a GPU."),
    ModelInfo(
        "xlm-roberta-base-ViT-B-32:laion5b_s13b_b90k",
        1470,
        "Multilingual search (needs the 'transformers' package).",
    ),
]


@dataclass(frozen=True)
class ModelSpec:
    """A parsed model name. ``name`` is canonical: parse_model_name(spec.name) == spec."""

    name: str
    arch: str
    pretrained: str | None = None
    weights_path: Path | None = None
    random: bool = False


# --------------------------------------------------------------------------- naming


def register_test_tiny() -> None:
    """Make ``test-tiny`` known to open_clip (idempotent)."""
    from open_clip import factory

    # open_clip keeps its configs in a module dict; add_model_config only takes files.
    factory._MODEL_CONFIGS.setdefault(TEST_TINY, TEST_TINY_CONFIG)


def _known_archs() -> list[str]:
    import open_clip

    register_test_tiny()
    return open_clip.list_models()


def _looks_like_path(text: str) -> bool:
    return (
        "/" in text
        or "\\" in text
        or text.startswith(("~", "."))
        or text.lower().endswith(WEIGHT_SUFFIXES)
    )


def _check_arch(arch: str) -> None:
    archs = _known_archs()
    if arch in archs:
        return
    close = difflib.get_close_matches(arch, archs, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise ModelUnavailableError(
        f"Unknown model architecture '{arch}'.{hint} "
        f"Try the default, '{DEFAULT_MODEL}'."
    )


def _tags_for(arch: str) -> list[str]:
    import open_clip

    return [tag for a, tag in open_clip.list_pretrained() if a == arch]


def canonical_model_name(name: str) -> str:
    """The name ``parse_model_name`` would give, found without importing open_clip or torch.

    A library is opened (and its counts shown) before the model loads, and vectors are stored
    under the canonical name: so a relative weights path is resolved and a pretrained tag
    lower-cased here too. Nothing is checked; an unknown model fails when it loads.
    """
    name = (name or "").strip()
    head, sep, rest = name.partition(":")
    if not sep or head in (RANDOM_PREFIX, "hf-hub", "local-dir"):
        return name
    if not rest:
        return head  # "test-tiny:" is "test-tiny"; any other bare arch fails to parse anyway
    if _looks_like_path(rest):
        return f"{head}:{_absolute(rest)}"
    return f"{head}:{rest.lower()}"


def _absolute(path_text: str) -> Path:
    try:
        return Path(path_text).expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop: keep the path as given, made absolute
        return Path(path_text).expanduser().absolute()


def parse_model_name(name: str) -> ModelSpec:
    """Parse a model name; raise ModelUnavailableError saying what is wrong and what would work."""
    name = (name or "").strip()
    if not name:
        raise ModelUnavailableError(f"No model name given. Try '{DEFAULT_MODEL}'.")

    head, sep, rest = name.partition(":")
    if head == RANDOM_PREFIX:
        if not rest:
            raise ModelUnavailableError("'random:' needs an architecture, e.g. 'random:ViT-B-32'.")
        _check_arch(rest)
        return ModelSpec(name=f"{RANDOM_PREFIX}:{rest}", arch=rest, random=True)
    if head in ("hf-hub", "local-dir"):
        raise ModelUnavailableError(
            f"'{head}:' model names are not supported. Use ARCH:TAG (e.g. '{DEFAULT_MODEL}') "
            "or ARCH:/path/to/weights.safetensors."
        )

    arch = head
    _check_arch(arch)
    if not sep or not rest:
        if arch == TEST_TINY:
            return ModelSpec(name=TEST_TINY, arch=TEST_TINY)
        tags = _tags_for(arch)
        example = f"{arch}:{tags[0]}" if tags else f"{arch}:/path/to/weights.safetensors"
        raise ModelUnavailableError(
            f"'{arch}' needs weights: a pretrained tag or a local file, e.g. '{example}'."
        )

    if _looks_like_path(rest):
        path = _absolute(rest)
        if path.suffix.lower() not in WEIGHT_SUFFIXES:
            raise ModelUnavailableError(
                f"'{path.name}' is not a weights file PhotoSeek can read; "
                f"use one of {', '.join(WEIGHT_SUFFIXES)}."
            )
        return ModelSpec(name=f"{arch}:{path}", arch=arch, weights_path=path)

    import open_clip

    tag = rest.lower()
    if not open_clip.get_pretrained_cfg(arch, tag):
        tags = _tags_for(arch)
        known = ", ".join(tags) if tags else "none (use a local weights file)"
        raise ModelUnavailableError(
            f"Unknown pretrained weights '{rest}' for {arch}. Known tags: {known}."
        )
    return ModelSpec(name=f"{arch}:{tag}", arch=arch, pretrained=tag)


def approx_download_mb(spec: ModelSpec) -> int | None:
    for info in KNOWN_MODELS:
        if info.name == spec.name:
            return info.download_mb
    return None


# --------------------------------------------------------------------------- devices


def choose_device(device: str | None = None) -> str:
    """'auto'/None picks CUDA, then Apple MPS, then CPU; explicit names are checked."""
    import torch

    wanted = (device or "auto").lower()
    has_mps = bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()
    if wanted == "auto":
        if torch.cuda.is_available():
            return "cuda"
        return "mps" if has_mps else "cpu"
    if wanted.startswith("cuda") and not torch.cuda.is_available():
        raise ModelUnavailableError("CUDA was requested but no CUDA GPU is available; use 'cpu'.")
    if wanted == "mps" and not has_mps:
        raise ModelUnavailableError("Apple MPS was requested but is not available; use 'cpu'.")
    if wanted not in ("cpu", "mps") and not wanted.startswith("cuda"):
        raise ModelUnavailableError(f"Unknown device '{device}'; use auto, cpu, cuda or mps.")
    return wanted


# --------------------------------------------------------------------------- weights files


def read_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """Read weights without ever running pickled code (torch.load with weights_only=True)."""
    import torch

    if not path.is_file():
        raise ModelUnavailableError(f"Weights file not found: {path}")
    try:
        if path.suffix.lower() == ".safetensors":
            from safetensors.torch import load_file

            obj: Any = load_file(str(path), device="cpu")
        else:
            obj = torch.load(str(path), map_location="cpu", weights_only=True)
    except Exception as exc:  # unpickling refusal, truncated file, wrong format
        raise ModelUnavailableError(
            f"Cannot read weights from {path}: it is not a plain weights file "
            f"({type(exc).__name__}). Use a .safetensors file or a state_dict saved by torch.save."
        ) from exc
    if isinstance(obj, dict) and isinstance(obj.get("state_dict"), dict):
        obj = obj["state_dict"]
    if not isinstance(obj, dict) or not obj or not all(
        isinstance(v, torch.Tensor) for v in obj.values()
    ):
        raise ModelUnavailableError(f"{path} does not contain a model state_dict.")
    if all(k.startswith("module.") for k in obj):  # saved from DataParallel/DDP
        obj = {k[len("module."):]: v for k, v in obj.items()}
    return obj


def _apply_state_dict(model: Any, state_dict: dict[str, torch.Tensor], source: Path) -> None:
    """Load into an open_clip model with the same fix-ups open_clip applies to its checkpoints."""
    from open_clip.factory import convert_to_custom_text_state_dict, resize_pos_embed

    if "positional_embedding" in state_dict and not hasattr(model, "positional_embedding"):
        state_dict = convert_to_custom_text_state_dict(state_dict)
    scale = state_dict.get("logit_scale")
    if scale is not None and scale.ndim != model.logit_scale.ndim:
        state_dict["logit_scale"] = scale.reshape(model.logit_scale.shape)
    resize_pos_embed(state_dict, model)
    try:
        model.load_state_dict(state_dict, strict=True)
    except RuntimeError as exc:
        first_line = str(exc).splitlines()[1:2] or [str(exc)]
        raise ModelUnavailableError(
            f"Weights in {source} do not fit this architecture: {first_line[0].strip()}"
        ) from exc


# --------------------------------------------------------------------------- loading


class _DropNoWeightsWarning(logging.Filter):
    """open_clip warns on the root logger whenever it builds a model without weights; we always
    build that way and load weights ourselves (random: models get our own warning)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("No pretrained weights loaded")


def _create(arch: str, device: str, precision: str, **kwargs: Any) -> Any:
    """Build the architecture; weights are random from INIT_SEED until a state_dict is applied."""
    import open_clip
    import torch

    register_test_tiny()
    quiet = _DropNoWeightsWarning()
    logging.getLogger().addFilter(quiet)
    # Seed inside a forked RNG so that weights built without a file are the same every run and
    # the caller's random state is left alone.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(INIT_SEED)
        try:
            return open_clip.create_model(
                arch, pretrained=None, load_weights=False, precision=precision, device=device,
                **kwargs,
            )
        except (ImportError, OSError, RuntimeError, ValueError) as exc:
            # e.g. an HF text tower whose config or tokenizer is not available offline
            raise ModelUnavailableError(f"Cannot build model {arch}: {exc}") from exc
        finally:
            logging.getLogger().removeFilter(quiet)


def load_model(spec: ModelSpec, cache_dir: Path, device: str | None = None) -> Embedder:
    """Build the model for spec on device ('auto' if None) and wrap it in an Embedder."""
    import open_clip

    from core.embedder import Embedder

    dev = choose_device(device)
    # fp16 halves memory and roughly doubles speed on CUDA; CPU and MPS stay fp32 for accuracy.
    precision = "fp16" if dev.startswith("cuda") else "fp32"
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)

    kwargs: dict[str, Any] = {}
    weights: Path | None = spec.weights_path
    if spec.pretrained is not None:
        cfg = open_clip.get_pretrained_cfg(spec.arch, spec.pretrained)
        # Use the preprocessing and activation the weights were trained with, as open_clip does.
        pp = {k: cfg[k] for k in ("mean", "std", "interpolation", "resize_mode") if k in cfg}
        kwargs["force_preprocess_cfg"] = pp or None
        kwargs["force_quick_gelu"] = bool(cfg.get("quick_gelu", False))
        weights = download_weights(spec, cache_dir)
    elif spec.random:
        log.warning("Model %s has RANDOM weights: search results are meaningless.", spec.name)

    # Read the file before building the model so that a bad file fails fast. Building with
    # precision/device first and loading after is what open_clip does (load_state_dict casts).
    state_dict = read_state_dict(weights) if weights is not None else None
    model = _create(spec.arch, dev, precision, **kwargs)
    if state_dict is not None and weights is not None:
        _apply_state_dict(model, state_dict, weights)
    model.eval()
    model.requires_grad_(False)
    try:
        tokenizer = open_clip.get_tokenizer(spec.arch, cache_dir=str(cache_dir))
    except Exception as exc:  # HF tokenizers need a download too
        raise ModelUnavailableError(f"Cannot load the tokenizer for {spec.name}: {exc}") from exc
    dim = int(open_clip.get_model_config(spec.arch)["embed_dim"])
    tower = _int8_image_tower(model) if dev == "cpu" and spec.arch != TEST_TINY else None
    return Embedder(
        model=model, tokenizer=tokenizer, name=spec.name, dim=dim, device=dev, image_tower=tower
    )


def _int8_image_tower(model: Any) -> Any | None:
    """An int8 copy of the image tower's linear layers, for indexing on a CPU.

    Dynamic int8 quantisation (weights int8, activations quantised per batch) makes the image
    tower of ViT-B-32 about twice as fast on a CPU, and indexing is bound by that tower. Its unit
    vectors stay within cosine 0.9997 of the fp32 ones (benchmarks/bench_indexing.py measures it
    on every run), far closer than any two different photos. Text queries keep the fp32 tower;
    both towers share one embedding space, so vectors of either precision compare directly.
    Returns None (fp32 is used) where the quantised kernels are missing.
    """
    import warnings

    import torch

    if os.environ.get("PHOTOSEEK_IMAGE_PRECISION", "").lower() == "fp32":
        return None
    try:
        with warnings.catch_warnings():
            # torch.ao.quantization is deprecated in favour of torchao; it still works, and fp32
            # below is the fallback for the day it goes.
            warnings.simplefilter("ignore")
            quantized = torch.ao.quantization.quantize_dynamic(
                model.visual, {torch.nn.Linear}, dtype=torch.qint8
            )
            with torch.inference_mode():  # prove the kernels run here before relying on them
                size = model.visual.image_size
                side = size[0] if isinstance(size, (tuple, list)) else size
                quantized(torch.zeros(1, 3, side, side))
    except (AttributeError, RuntimeError, NotImplementedError) as exc:
        log.info("int8 image tower unavailable (%s); using fp32", exc)
        return None
    return quantized
