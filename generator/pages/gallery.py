"""图片新闻: columns with ``layout: gallery`` list their reports as a grid of cover images
(column.html, from ``column.layout``: the columns page kind and the ``columns`` facet
carry it), and the home page shows the newest of them with a cover as a carousel (the
home page kind puts them in ``Page.shows``, so the page declares them)."""

from __future__ import annotations

from ..content import Column, Report

LAYOUT = "gallery"
CAROUSEL_SIZE = 5


def is_gallery(column: Column) -> bool:
    return column.layout == LAYOUT


def carousel(columns: dict[tuple[str, ...], Column], reports: list[Report]) -> list[Report]:
    """The newest reports with a cover image in gallery columns (``reports`` newest first)."""
    chosen = [r for r in reports if r.image and is_gallery(columns[r.column])]
    return chosen[:CAROUSEL_SIZE]
