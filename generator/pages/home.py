"""The home page: the latest reports of each column of the navigation (置顶 first), none
shown twice, and the 图片新闻 carousel."""

from __future__ import annotations

from ..home_blocks import home_blocks
from ..pins import pinned_first
from .gallery import carousel
from .model import LAYOUT, SERIES, Group, Page, Site


def make(site: Site) -> list[Page]:
    config = site.config
    root = site.root_column
    # A parent column's block never repeats what a child's block shows (home_blocks.py).
    blocks = [
        Group(c, rs)
        for c, rs in home_blocks(
            site.nav, lambda c: pinned_first(site.reports_under(c)), config.home_per_column
        )
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
            reports=pinned_first(site.reports)[: config.home_per_column],
            shows={"carousel": carousel(site.columns, site.reports)},
            facets=LAYOUT | {SERIES},
        )
    ]
