"""Moved: the build cache is the package :mod:`generator.incremental`; these names stay
importable from here."""

from .incremental.digest import code_digest
from .incremental.facets import report_digest
from .incremental.fingerprint import input_fingerprint
from .incremental.keys import PageKeys, TemplateDigests
from .incremental.manifest import CACHE_DIR, MANIFEST, REPORTS, TEMPLATES, BuildCache

__all__ = [
    "CACHE_DIR",
    "MANIFEST",
    "REPORTS",
    "TEMPLATES",
    "BuildCache",
    "PageKeys",
    "TemplateDigests",
    "code_digest",
    "input_fingerprint",
    "report_digest",
]
