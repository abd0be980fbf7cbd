"""Which device computes: CUDA, Apple MPS or the CPU."""

from __future__ import annotations

from core.errors import ModelUnavailableError


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


def available_devices() -> tuple[str, ...]:
    """The device choices that work on this computer: auto and cpu, and the GPUs present."""
    import torch

    found = ["auto", "cpu"]
    if torch.cuda.is_available():
        found.append("cuda")
    if bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available():
        found.append("mps")
    return tuple(found)
