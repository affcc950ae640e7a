"""The 政府信息公开目录 page kind: the table of every report with disclosure fields, newest first, one
static page per ``catalogue.per_page`` rows (``/xxgk/catalogue/``, ``…/page/2/``).

The first page also carries every row as data for ``catalogue.js``, which filters by
主题分类, 发布机构, year and 有效性 and searches the 文号, keeping them in the address.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import SiteConfig
from ..content import Report
from .common import paginate
from .model import LAYOUT, Crumb, Page, Site


@dataclass
class Filters:
    """The values the filters offer, each sorted (years newest first)."""

    categories: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    validities: list[str] = field(default_factory=list)
    total: int = 0


def catalogue_rows(reports: list[Report]) -> list[Report]:
    """The reports of the catalogue: those with any disclosure field, in the given order."""
    return [r for r in reports if r.has_disclosure]


def filters(rows: list[Report]) -> Filters:
    def values(key: str) -> list[str]:
        return sorted({r.disclosure.get(key, "") for r in rows} - {""})

    return Filters(
        values("category"),
        values("publisher"),
        sorted({r.date.year for r in rows}, reverse=True),
        values("validity"),
        len(rows),
    )


def catalogue_pages(config: SiteConfig, reports: list[Report]) -> list[Page]:
    """The catalogue's pages; none when no report has disclosure fields."""
    rows = catalogue_rows(reports)
    if not rows:
        return []
    url = config.catalogue_path
    crumbs = [Crumb(config.title, "/"), Crumb("", url, "catalogue_title")]
    found = filters(rows)
    pages = []
    for paginator, items in paginate(url, rows, config.catalogue_per_page):
        pages.append(
            Page(
                "catalogue",
                paginator.urls[paginator.number - 1],
                "catalogue.html",
                "catalogue",
                reports=items,
                paginator=paginator,
                subject=found,
                # The first page filters every row in the browser: it shows all of them.
                shows={"catalogue": rows} if paginator.number == 1 else {},
                breadcrumbs=crumbs,
                facets=LAYOUT,
            )
        )
    return pages


def make(site: Site) -> list[Page]:
    return catalogue_pages(site.config, site.reports)
