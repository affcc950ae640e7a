"""Year archives: of each column (with its sub-columns) and of the whole site."""

from __future__ import annotations

from .common import by_year, crumbs, groups
from .model import LAYOUT, Crumb, Page, Site


def make(site: Site) -> list[Page]:
    title = site.config.title
    pages: list[Page] = []
    for column in site.columns.values():
        if not column.path:
            continue
        in_year = by_year(site.reports_under(column))
        years = sorted(in_year, reverse=True)
        trail = crumbs(column, title)
        for year in years:
            pages.append(
                Page(
                    "year",
                    f"{column.url}{year}/",
                    "year.html",
                    f"{column.title} {year}",
                    column.source,
                    column=column,
                    year=year,
                    years=years,
                    groups=groups(site.columns, in_year[year]),
                    reports=in_year[year],
                    breadcrumbs=[*trail, Crumb(str(year), f"{column.url}{year}/", "year_title")],
                    facets=LAYOUT,
                )
            )
    in_year = by_year(site.reports)
    for year in site.years:
        pages.append(
            Page(
                "year",
                f"/{year}/",
                "year.html",
                str(year),
                year=year,
                years=site.years,
                groups=groups(site.columns, in_year[year]),
                reports=in_year[year],
                breadcrumbs=[Crumb(title, "/"), Crumb(str(year), f"/{year}/", "year_title")],
                facets=LAYOUT,
            )
        )
    return pages
