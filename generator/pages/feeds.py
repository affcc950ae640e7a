"""Atom feeds of the site and of each column (only with base_url: they need absolute URLs)."""

from __future__ import annotations

from .model import LAYOUT, Page, Site

FEED_SIZE = 20


def make(site: Site) -> list[Page]:
    if not site.config.base_url:
        return []
    pages = [
        Page("feed", "/feed.xml", "feed.xml", site.config.title, reports=site.reports[:FEED_SIZE])
    ]
    for column in site.columns.values():
        if column.path:
            pages.append(
                Page(
                    "feed",
                    f"{column.url}feed.xml",
                    "feed.xml",
                    column.title,
                    column=column,
                    reports=site.reports_under(column)[:FEED_SIZE],
                    facets=LAYOUT,
                )
            )
    return pages
