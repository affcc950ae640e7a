"""Column pages (栏目): a column's own reports (置顶 first), paginated, and its
sub-columns' latest; a ``layout: gallery`` column shows them as a grid (pages.gallery)."""

from __future__ import annotations

from ..pins import pinned_first
from .common import crumbs, paginate
from .model import LAYOUT, Group, Page, Site


def make(site: Site) -> list[Page]:
    config = site.config
    pages: list[Page] = []
    for column in site.columns.values():
        if not column.path:
            continue
        own = site.column_reports.get(column.path, [])
        years = sorted({r.date.year for r in site.reports_under(column)}, reverse=True)
        child_groups = [
            Group(child, pinned_first(site.reports_under(child))[: config.home_per_column])
            for child in column.children
        ]
        listed = pinned_first(own) if own or not column.children else []
        for paginator, items in paginate(column.url, listed, config.per_page):
            pages.append(
                Page(
                    "column",
                    paginator.urls[paginator.number - 1],
                    column.template or "column.html",
                    column.title,
                    column.source,
                    column=column,
                    reports=items,
                    paginator=paginator,
                    years=years,
                    groups=child_groups if paginator.number == 1 else [],
                    breadcrumbs=crumbs(column, config.title),
                    facets=LAYOUT,
                )
            )
    return pages
