"""Model names: parsing, the canonical form vectors are stored under, and the models offered.

A model name is the identity stored beside every vector, so it is canonical and explicit:

- ``ARCH:TAG``            open_clip pretrained weights, e.g. ``ViT-B-32:laion2b_s34b_b79k``
- ``ARCH:/path/file``     local weights (.safetensors, or .pt/.pth/.bin read with weights_only)
- ``random:ARCH``         random weights from a fixed seed; benchmarks and tests only
- ``test-tiny``           a small built-in architecture with fixed-seed random weights
- ``test-tiny:/path``     the same architecture with trained weights from a file

open_clip is imported inside functions so that importing this module is instant and the window
can appear before the heavy libraries load.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ModelUnavailableError

# The model a new library gets. An existing library keeps the model it was indexed with until its
# owner switches (core.config.settings.choose_model): DEFAULT_HISTORY lists every default so far,
# oldest first, so that a library made under any of them keeps it.
DEFAULT_MODEL = "ViT-B-32-SigLIP2-256:webli"
LEGACY_DEFAULT_MODEL = "ViT-B-32:laion2b_s34b_b79k"  # the default until SigLIP 2
DEFAULT_HISTORY = (LEGACY_DEFAULT_MODEL, DEFAULT_MODEL)
MULTILINGUAL_MODEL = "xlm-roberta-base-ViT-B-32:laion5b_s13b_b90k"
TEST_TINY = "test-tiny"
RANDOM_PREFIX = "random"
WEIGHT_SUFFIXES = (".safetensors", ".pt", ".pth", ".bin")

# Small enough to embed 32 images in a few milliseconds on one CPU core, yet a real CLIP:
# causal text transformer with the standard 49408-token BPE vocabulary, ViT image tower.
TEST_TINY_CONFIG: dict[str, Any] = {
    "embed_dim": 64,
    "vision_cfg": {"image_size": 64, "layers": 2, "width": 64, "patch_size": 16, "head_width": 32},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2},
}


@dataclass(frozen=True)
class ModelInfo:
    """A model offered in Settings and by ``photoseek models``.

    download_mb: weights plus tokenizer files, fp32, in MB of 10^6 bytes. Weights are the
    parameter count (counted on the built architecture; open_clip's table for ViT-B-32 and the
    XLM-R model) times 4 bytes, which matches the hub's safetensors listing for ViT-B-32
    (605 MB); tokenizer.json sizes are those of the hub listings (Gemma ~17 MB, XLM-R ~9 MB).
    Quality figures are published ones: MSCOCO text-to-image R@1 and ImageNet zero-shot top-1
    from open_clip's results tables (docs/openclip_retrieval_results.csv) and Google's SigLIP 2
    release; Crossmodal-3600 recall from Immich's model comparison. None where not published.
    image_gmacs: multiply-accumulates of the image tower for one photo (computed from the
    architecture: 12 layers x (12 N d^2 + 2 N^2 d) + patch embedding), which the speed estimate
    scales by (core.models.speed).
    """

    name: str
    label: str  # the choice in one or two words
    download_mb: int
    good_at: str
    languages: str
    image_gmacs: float
    coco_t2i_r1: float | None = None
    imagenet: float | None = None
    xm3600: str | None = None  # e.g. "English 73.2"
    # Where its weights are published (open_clip's hf_hub, checked by tests/test_models.py):
    # known here so that a first start can look on the disk without importing open_clip.
    hub_repo: str = ""

    @property
    def multilingual(self) -> bool:
        return self.languages != "English"

    @property
    def quality(self) -> str:
        """The published figures in one line."""
        parts = []
        if self.coco_t2i_r1 is not None:
            parts.append(f"MSCOCO text-to-image R@1 {self.coco_t2i_r1:.1f}")
        if self.imagenet is not None:
            parts.append(f"ImageNet zero-shot {self.imagenet:.1f}%")
        if self.xm3600:
            parts.append(f"Crossmodal-3600 recall {self.xm3600}")
        return ", ".join(parts)

    @property
    def note(self) -> str:
        """What it is good at, its languages and its published quality, in two sentences."""
        quality = f" Published quality: {self.quality}." if self.quality else ""
        return f"{self.good_at} Reads {self.languages}.{quality}"


# Quality figures: MSCOCO text-to-image R@1 and ImageNet-1k zero-shot from open_clip's
# docs/openclip_retrieval_results.csv and openclip_classification_results.csv (ViT-B-32 laion2b
# 39.3 / 66.6, xlm-roberta-base-ViT-B-32 37.8 / 62.4) and from Google's SigLIP 2 release (B/32 at
# 256 px 47.2 / 74.0, B/16 at 224 px 52.1 / 78.2); Crossmodal-3600 recall from Immich's model
# comparison.
KNOWN_MODELS: list[ModelInfo] = [
    ModelInfo(
        DEFAULT_MODEL, "Recommended", 1524,
        "The best search for its cost: clearly better than the small model at about the same "
        "speed per photo.",
        "English", image_gmacs=5.7, coco_t2i_r1=47.2, imagenet=74.0, xm3600="English 73.2",
        hub_repo="timm/ViT-B-32-SigLIP2-256",
    ),
    ModelInfo(
        "ViT-B-16-SigLIP2:webli", "High quality", 1518,
        "Finer detail and the best results here; about 3x slower to index on a CPU.",
        "English", image_gmacs=17.5, coco_t2i_r1=52.1, imagenet=78.2,
        hub_repo="timm/ViT-B-16-SigLIP2",
    ),
    ModelInfo(
        MULTILINGUAL_MODEL, "Multilingual", 1474,
        "Search in Chinese and about 100 other languages; indexes as fast as the small model.",
        "about 100 languages (Chinese, Japanese, Korean, Russian, Arabic, ...)",
        image_gmacs=4.4, coco_t2i_r1=37.8, imagenet=62.4, xm3600="Chinese 72.5",
        hub_repo="laion/CLIP-ViT-B-32-xlm-roberta-base-laion5B-s13B-b90k",
    ),
    ModelInfo(
        LEGACY_DEFAULT_MODEL, "Small download", 605,
        "The smallest download and the fastest; good results.",
        "English", image_gmacs=4.4, coco_t2i_r1=39.3, imagenet=66.6, xm3600="English 68.8",
        hub_repo="laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
    ),
]


def model_info(name: str) -> ModelInfo | None:
    """The offered model of that canonical name, if it is one."""
    return next((m for m in KNOWN_MODELS if m.name == name), None)


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


def with_weights_file(model: str, path: str) -> str:
    """The model name for ``model``'s architecture with the weights in a local file."""
    head, _, rest = (model or "").partition(":")
    arch = rest if head == RANDOM_PREFIX else head
    return f"{arch}:{path}"


def approx_download_mb(spec: ModelSpec) -> int | None:
    for info in KNOWN_MODELS:
        if info.name == spec.name:
            return info.download_mb
    return None
