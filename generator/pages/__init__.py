"""The page kinds of a site, one module each, and the registry the model runs through.

Each kind is a module with ``make(site) -> list[Page]``: it makes its pages from the site
model and declares, on each page, what the page depends on (``Page.facets`` and the
reports in its fields; see :mod:`.model`). A new kind of page is one new module here and
one line in :data:`KINDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from . import catalogue, columns, feeds, home, reports, series, special, topics, years
from .model import Page, Site

# In this order the pages are listed (site.pages: the XML sitemap's order).
KINDS: tuple[ModuleType, ...] = (
    home,
    columns,
    years,
    reports,
    series,
    topics,
    catalogue,
    feeds,
    special,
)

PageKind = Callable[[Site], list[Page]]


def make_pages(site: Site, kinds: tuple[ModuleType, ...] = KINDS) -> list[Page]:
    pages: list[Page] = []
    for kind in kinds:
        pages += kind.make(site)
    return pages
