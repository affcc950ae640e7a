"""Moved: the dev server's quick path is :mod:`generator.incremental.quick`."""

from .incremental.quick import LiveState, edit_reports, same_front_matter

__all__ = ["LiveState", "edit_reports", "same_front_matter"]
