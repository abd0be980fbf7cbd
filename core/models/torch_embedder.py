"""The torch backend: an open_clip model on a GPU, or on the CPU until a prepared (ONNX) model
exists. Built by core.models.loading.load_model."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from core.models.embedder import Embedder
from core.models.preprocessing import PixelSpec, bounded_aspect
from core.models.text_encoding import TextEncoder

if TYPE_CHECKING:
    from PIL import Image


class TorchEmbedder(Embedder):
    """Owns an open_clip model, its tokenizer and its preprocessing."""

    backend = "torch"

    def __init__(
        self,
        *,
        model: Any,
        tokenizer: Callable[..., Any],
        name: str,
        dim: int,
        device: str,
        image_tower: Callable[[Any], Any] | None = None,
    ) -> None:
        from open_clip import get_model_preprocess_cfg

        bias = getattr(model, "logit_bias", None)
        scale = getattr(model, "logit_scale", None)
        cfg = get_model_preprocess_cfg(model)
        pixels = PixelSpec.from_open_clip(cfg)
        super().__init__(
            name=name, dim=dim, device=device,
            pixels=pixels if pixels is not None and pixels.supported else None,
            logit_scale=float(scale.exp().item()) if scale is not None else None,
            logit_bias=float(bias.item()) if bias is not None else None,
        )
        self._model = model
        # The image tower may be a faster (int8) copy of model.visual; see models.load_model.
        self._image_tower = image_tower or model.encode_image
        self._tokenizer = tokenizer
        self._text_encoder = TextEncoder(model)

        visual = model.visual
        conv = getattr(visual, "conv1", None)
        weight = conv.weight if conv is not None else next(visual.parameters())
        self._image_dtype = weight.dtype  # fp16 on CUDA
        dtype_name = str(weight.dtype).removeprefix("torch.").replace("float", "fp")
        self.image_precision = "int8" if image_tower else dtype_name

        # Our own path covers square inputs resized by the shortest side or squashed; anything
        # else uses open_clip's transform so that results never silently differ from it.
        self._fallback_transform = None
        if self._pixels is None:
            from open_clip import image_transform

            size = cfg.get("size", 224)
            self.image_size = int(size[0] if isinstance(size, (tuple, list)) else size)
            self._fallback_transform = image_transform(
                size, is_train=False, mean=cfg["mean"], std=cfg["std"],
                resize_mode=cfg.get("resize_mode"),
                interpolation=cfg.get("interpolation", "bicubic"),
                fill_color=cfg.get("fill_color", 0),
            )

    @property
    def model(self) -> Any:
        return self._model

    @property
    def text_encoder(self) -> TextEncoder:
        return self._text_encoder

    @property
    def tokenizer(self) -> Callable[..., Any]:
        return self._tokenizer

    def preprocess(self, image: Image.Image) -> np.ndarray:
        if self._fallback_transform is None:
            return super().preprocess(image)
        return self._fallback_transform(bounded_aspect(image)).numpy()

    def _encode_images(self, batch: Any) -> np.ndarray:
        import torch

        with torch.inference_mode():
            x = torch.as_tensor(batch).to(self.device, dtype=self._image_dtype, non_blocking=True)
            features = self._image_tower(x)
        return features.float().cpu().numpy()

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            tokens = self._tokenizer(texts).to(self.device)
            features = self._text_encoder(tokens)
        return features.float().cpu().numpy()
