"""Report pages: one per published report, linked to its newer and older neighbour in
its column."""

from __future__ import annotations

from .common import crumbs
from .model import LAYOUT, TEMPLATE_IDS, Page, Site


def make(site: Site) -> list[Page]:
    pages: list[Page] = []
    title = site.config.title
    # the body's heading ids avoid the ids every template writes
    facets = LAYOUT | {TEMPLATE_IDS}  # one set for every report page
    for column in site.columns.values():
        own = [r for r in site.column_reports.get(column.path, []) if not r.link]  # 外链: no page
        trail = crumbs(column if column.path else None, title)
        for index, report in enumerate(own):
            pages.append(
                Page(
                    "report",
                    report.url,
                    report.template or "report.html",
                    report.title,
                    report.source,
                    column=column,
                    report=report,
                    newer=own[index - 1] if index > 0 else None,
                    older=own[index + 1] if index + 1 < len(own) else None,
                    series=site.series.get(report.series) if report.series else None,
                    breadcrumbs=trail,
                    facets=facets,
                )
            )
    return pages
