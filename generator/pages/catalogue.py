"""The 政府信息公开目录 page kind: the table of every report with disclosure fields, newest first, one
static page per ``catalogue.per_page`` rows (``/xxgk/catalogue/``, ``…/page/2/``).

The first page also carries every row as data for ``catalogue.js``, which filters by
主题分类, 发布机构, year and 有效性 and searches the 文号, keeping them in the address.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..config import SiteConfig
from ..content import Report
from .common import paginate
from .model import LAYOUT, Crumb, Page, Shared, Site


@dataclass
class Filters:
    """The values the filters offer, each sorted (years newest first)."""

    categories: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    validities: list[str] = field(default_factory=list)
    total: int = 0


def catalogue_rows(reports: list[Report]) -> list[Report]:
    """The reports of the catalogue: those with any disclosure field, in the given order
    (``Report.has_disclosure``, without a call per report)."""
    return [r for r in reports if any(r.disclosure.values())]


def has_catalogue(reports: list[Report]) -> bool:
    """True when the site has a catalogue (a report with any disclosure field)."""
    return any(any(r.disclosure.values()) for r in reports)


def filters(rows: list[Report]) -> Filters:
    categories: set[str] = set()
    publishers: set[str] = set()
    validities: set[str] = set()
    years: set[int] = set()
    for r in rows:  # one pass over the rows for all four filters
        get = r.disclosure.get
        categories.add(get("category", ""))
        publishers.add(get("publisher", ""))
        validities.add(get("validity", ""))
        years.add(r.date.year)
    return Filters(
        sorted(categories - {""}),
        sorted(publishers - {""}),
        sorted(years, reverse=True),
        sorted(validities - {""}),
        len(rows),
    )


def catalogue_pages(config: SiteConfig, reports: list[Report]) -> list[Page]:
    """The catalogue's pages; none when no report has disclosure fields."""
    rows = catalogue_rows(reports)
    if not rows:
        return []
    url = config.catalogue_path
    crumbs = Shared([Crumb(config.title, "/"), Crumb("", url, "catalogue_title")])
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


# Jinja's ``tojson`` as the theme's environment calls it (``json.dumps`` with its default
# ``sort_keys=True``), one encoder for every row.
_encode = json.JSONEncoder(sort_keys=True).encode

# Where a row is shown from: the page's site path (None: served at any address), and the
# linker's base path and file URLs; with a row's inputs, all its href depends on.
Context = tuple
# A row: its inputs (row_inputs) and its text.
Row = tuple[tuple, str]


def row_inputs(r: Report) -> tuple:
    """Every value of a report that its row is made of."""
    d, date = r.disclosure, r.date
    return (
        r.title,
        r.url,
        r.link,
        date.year,
        date.month,
        date.day,
        d["index_no"],
        d["doc_no"],
        d["publisher"],
        d["written_date"],
        d["category"],
        d["validity"],
    )


def row_text(r: Report, url: Callable[[str], str]) -> str:
    """A report's row, as ``{{ {…}|tojson }}`` writes it (jinja2's htmlsafe_json_dumps:
    safe inside a <script> element)."""
    d, date = r.disclosure, r.date
    text = _encode(
        {
            "i": d["index_no"],
            "t": r.title,
            "h": url(r.url),
            "x": r.link != "",
            "d": d["doc_no"],
            "p": d["publisher"],
            "w": d["written_date"],
            "a": date.strftime("%Y-%m-%d"),
            "c": d["category"],
            "v": d["validity"],
            "y": str(date.year),
        }
    )
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


class CatalogueRows:
    """The rows ``catalogue.js`` filters, as the JSON array of the catalogue's first page:
    for each report ``{"i": 索引号, "t": title, "h": its href, "x": an 外链, "d": 文号,
    "p": 发布机构, "w": 成文日期, "a": date, "c": 主题分类, "v": 有效性, "y": year}``.

    Each row's text is kept with its inputs (:func:`row_inputs`) and the context it was
    shown from, from one build to the next (the build cache's ``catalogue.sgc``): a row
    is encoded again only when one of its inputs changed, so an edit re-encodes one row of
    10,000 rather than all. ``known``: what the last build kept; ``used``: what this build
    showed, for the next one.
    """

    def __init__(self, known: dict[Context, dict[str, Row]] | None = None):
        self.known = known or {}
        self.used: dict[Context, dict[str, Row]] = {}
        self.made = 0  # rows encoded in this process (the others were kept)

    def json(self, rows: Iterable[Report], url: Callable[[str], str], context: Context) -> Markup:
        known = self.known.get(context, {})
        used = self.used.setdefault(context, {})
        parts = []
        for r in rows:
            inputs = row_inputs(r)
            row = known.get(r.source)
            if row is None or row[0] != inputs:
                row = (inputs, row_text(r, url))
                self.made += 1
            used[r.source] = row
            parts.append(row[1])
        return Markup("[" + ",".join(parts) + "]")

    def changed(self) -> bool:
        """True when what this build showed is not what the last one kept."""
        return bool(self.used) and self.used != self.known


def make(site: Site) -> list[Page]:
    return catalogue_pages(site.config, site.reports)
