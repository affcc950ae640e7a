"""The home page: the latest reports of each column of the navigation (置顶 first), and
the 图片新闻 carousel."""

from __future__ import annotations

from ..pins import pinned_first
from .gallery import carousel
from .model import LAYOUT, SERIES, Group, Page, Site


def make(site: Site) -> list[Page]:
    config = site.config
    root = site.root_column
    blocks = [
        Group(c, pinned_first(site.reports_under(c))[: config.home_per_column]) for c in site.nav
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
