"""``photoseek models``: the models offered, with download size, speed on this computer,
published quality and languages; the library's model is marked."""

from __future__ import annotations

from core.cli.output import say


def run_models(home: str | None) -> int:
    from core.config.paths import data_paths
    from core.config.settings import Settings, choose_model
    from core.models.names import KNOWN_MODELS, canonical_model_name
    from core.models.speed import model_speed

    paths = data_paths(home)
    current = canonical_model_name(
        choose_model(None, Settings.load(paths.settings), paths.catalog)
    )
    for info in KNOWN_MODELS:
        speed = model_speed(info, paths.models_dir)
        mark = "  (in use)" if info.name == current else ""
        say(f"{info.name}{mark}")
        say(f"    {info.label}: {info.good_at}")
        say(f"    download about {info.download_mb:,} MB; "
            f"{speed.label() if speed else 'speed unknown'}; reads {info.languages}")
        if info.quality:
            say(f"    published: {info.quality}")
    return 0
