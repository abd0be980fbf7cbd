"""Loading a model: build the open_clip architecture, apply weights read safely, wrap it in an
Embedder (with an int8 image tower on a CPU).

torch and open_clip are imported inside functions so that importing this module is cheap.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ModelUnavailableError
from core.models import assets, speed
from core.models.devices import choose_device
from core.models.download import download_weights
from core.models.hub import Progress
from core.models.names import TEST_TINY, ModelSpec, register_test_tiny
from core.models.onnx_package import remember_devices
from core.models.prepared import prepared_embedder

if TYPE_CHECKING:
    import torch

    from core.models.embedder import Embedder

log = logging.getLogger(__name__)

# Seed for every model built without weights, so two runs embed alike.
INIT_SEED = 0


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
            # e.g. an HF text tower whose config is damaged: one line, never a traceback
            raise ModelUnavailableError(
                f"Cannot build model {arch}: {_first_line(exc)}. Choose another model, or "
                "delete its files in the data folder's models dir so they are fetched again."
            ) from exc
        finally:
            logging.getLogger().removeFilter(quiet)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__).rstrip(".")


def _tokenizer(spec: ModelSpec, cache_dir: Path) -> Any:
    """The model's tokenizer: an HF one from the local files (never the network), else
    CLIP's built-in BPE."""
    import open_clip

    try:
        return assets.build_hf_tokenizer(spec, cache_dir) or open_clip.get_tokenizer(spec.arch)
    except ModelUnavailableError:
        raise
    except Exception as exc:  # damaged tokenizer files: one sentence, never a traceback
        raise ModelUnavailableError(
            f"The tokenizer files of {spec.name} are damaged ({_first_line(exc)}); delete "
            "them in the data folder's models dir so that they are fetched again."
        ) from exc


def load_model(
    spec: ModelSpec,
    cache_dir: Path,
    device: str | None = None,
    progress: Progress | None = None,
) -> Embedder:
    """Build the model for spec on device ('auto' if None) and wrap it in an Embedder: the
    prepared int8 ONNX copy on a CPU where one exists (no torch needed), else open_clip.

    ``progress`` gets (bytes done, bytes total) while pretrained weights are downloaded; it is
    never called when they are on the disk already."""
    prepared = prepared_embedder(spec.name, Path(cache_dir), device)
    if prepared is not None:
        return prepared

    import open_clip

    from core.models.torch_embedder import TorchEmbedder

    dev = choose_device(device)
    remember_devices(Path(cache_dir), gpu=choose_device("auto") != "cpu")
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
        weights = download_weights(spec, cache_dir, progress)
    elif spec.random:
        log.warning("Model %s has RANDOM weights: search results are meaningless.", spec.name)
    # Tokenizer files and an HF text tower's config: found on the disk (fetched with the
    # weights), fetched now for random or local weights, or a one-sentence error.
    assets.ensure_assets(spec, cache_dir)
    kwargs.update(assets.hf_text_tower_kwargs(spec, cache_dir))
    tokenizer = _tokenizer(spec, cache_dir)  # before the model: damaged files fail in a moment
    speed.cpu_gmacs(cache_dir)  # once per data folder (100 ms): Settings' speed estimates

    # Read the file before building the model so that a bad file fails fast. Building with
    # precision/device first and loading after is what open_clip does (load_state_dict casts).
    state_dict = read_state_dict(weights) if weights is not None else None
    model = _create(spec.arch, dev, precision, **kwargs)
    if state_dict is not None and weights is not None:
        _apply_state_dict(model, state_dict, weights)
    model.eval()
    model.requires_grad_(False)
    dim = int(open_clip.get_model_config(spec.arch)["embed_dim"])
    tower = _int8_image_tower(model) if dev == "cpu" and spec.arch != TEST_TINY else None
    return TorchEmbedder(
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
