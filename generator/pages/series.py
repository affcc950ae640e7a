"""Series pages: the list of yearly report series and one page per series."""

from __future__ import annotations

from .model import LAYOUT, SERIES, Crumb, Page, Site


def make(site: Site) -> list[Page]:
    title = site.config.title
    pages: list[Page] = []
    if site.series:
        pages.append(
            Page(
                "series_index",
                "/series/",
                "series_index.html",
                "series",
                breadcrumbs=[Crumb(title, "/"), Crumb("", "/series/", "series_index")],
                facets=LAYOUT | {SERIES},
            )
        )
    for item in site.series.values():
        pages.append(
            Page(
                "series",
                item.url,
                "series.html",
                item.name,
                series=item,
                reports=item.reports,
                breadcrumbs=[
                    Crumb(title, "/"),
                    Crumb("", "/series/", "series_index"),
                    Crumb(item.name, item.url),
                ],
                facets=LAYOUT,
            )
        )
    return pages
