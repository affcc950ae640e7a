"""The home page: the latest reports of each column of the navigation."""

from __future__ import annotations

from .model import LAYOUT, SERIES, Group, Page, Site


def make(site: Site) -> list[Page]:
    config = site.config
    root = site.root_column
    blocks = [Group(c, site.reports_under(c)[: config.home_per_column]) for c in site.nav]
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
