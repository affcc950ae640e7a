"""The no-op check: a hash of the name, size and modification time of every input file.

The folders are those the facets come from (:data:`SITE_INPUTS`), the config,
and sitegen's own package (code and shipped themes), with the library versions."""

from __future__ import annotations

from pathlib import Path

from ..writer import file_stats
from .digest import PACKAGE, hash_parts, library_versions

CONFIG_NAME = "sitegen.yaml"
# The folders (of the site, and of its theme) a build reads: the no-op fingerprint covers
# them and the dev server watches them. (Here, not beside the facets: the no-op check
# imports nothing of the model.)
SITE_INPUTS = ("content", "templates", "static", "themes", "i18n")


def input_fingerprint(source: Path, flags: str) -> str:
    folders = [source / name for name in SITE_INPUTS]
    folders += [PACKAGE, PACKAGE / "themes", PACKAGE.parent / "themes"]
    parts = [library_versions(), flags]
    config = source / CONFIG_NAME
    if config.is_file():
        stat = config.stat()
        parts.append(f"{CONFIG_NAME} {stat.st_size} {stat.st_mtime_ns}")
    seen: set[Path] = set()
    for folder in folders:
        real = folder.resolve()
        if real in seen or not real.is_dir():
            continue
        seen.add(real)
        stats: dict[str, list[int]] = {}
        file_stats(real, stats)
        parts.append(str(real))
        parts += [f"{rel} {size} {mtime}" for rel, (size, mtime) in sorted(stats.items())]
    return hash_parts(*parts)
