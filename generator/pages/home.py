"""The home page: the latest reports of each column of the navigation, none shown twice."""

from __future__ import annotations

from ..home_blocks import home_blocks
from .model import LAYOUT, SERIES, Group, Page, Site


def make(site: Site) -> list[Page]:
    config = site.config
    root = site.root_column
    # A parent column's block never repeats what a child's block shows (home_blocks.py).
    blocks = [
        Group(c, rs) for c, rs in home_blocks(site.nav, site.reports_under, config.home_per_column)
    ]
    return [
        Page(
            "home",
            "/",
            "home.html",
            config.title,
            root.source,
            column=root,
            groups=blocks,
            years=site.years,
            reports=site.reports[: config.home_per_column],
            facets=LAYOUT | {SERIES},
        )
    ]
