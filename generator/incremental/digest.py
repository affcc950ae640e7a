"""Hashing for the build cache: what every page key and cached report starts from."""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

from .. import __version__

# The libraries whose versions shape the output (an upgrade must re-render).
OUTPUT_LIBRARIES = ("markdown", "jinja2", "markupsafe", "pyyaml")

PACKAGE = Path(__file__).resolve().parent.parent


def hash_parts(*parts: str) -> str:
    joined = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=16).hexdigest()


@functools.cache
def library_versions() -> str:
    found = []
    for name in OUTPUT_LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return " ".join(found)


@functools.cache
def code_digest() -> str:
    """sitegen's own source (every module, subpackages too) and the libraries' versions:
    an edited (editable) install or an upgraded library must not reuse stale pages."""
    files = sorted(PACKAGE.rglob("*.py"))
    return hash_parts(
        __version__,
        library_versions(),
        *(f"{p.relative_to(PACKAGE).as_posix()} {p.read_text(encoding='utf-8')}" for p in files),
    )
