"""The site model's records: pages, the site, and what each page declares it depends on.

Pure data. A page kind (a module of this package) makes :class:`Page` records; each page
carries a :class:`Depends`: the reports it shows (by :attr:`Report.source`, an identity
that survives pickling and copying) and the site-level facets its templates read. The
build cache (``generator.incremental``) keys pages by that declaration alone.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import Any

from ..config import SiteConfig
from ..content import Column, Report
from ..urls import output_file

# Site-level facets a template may read (their digests: generator.incremental.facets).
CONFIG = "config"  # sitegen.yaml: `config`, `site.config`
STRINGS = "strings"  # the theme's UI strings: `t(...)`
COLUMNS = "columns"  # the column tree (not the columns' body text) and the nav: `site.columns`
YEARS = "years"  # `site.years`
SERIES = "series"  # `site.series`, with the reports in them
REPORTS = "reports"  # every published report: `site.reports`, `site.reports_under(...)`
PAGES = "pages"  # the list of pages (kind, url, title, template, lastmod): `site.pages`
TEMPLATE_IDS = "template_ids"  # the literal ids of all templates (report bodies avoid them)
ASSETS = "assets"  # the published files of content/: `site.assets`
SELECTION = "selection"  # what was left out and until when: `site.left_out` …

# The facet each attribute of ``site`` belongs to (a template reading another one reads
# every facet).
SITE_FACETS = {
    "config": CONFIG,
    "columns": COLUMNS,
    "root_column": COLUMNS,
    "nav": COLUMNS,
    "years": YEARS,
    "series": SERIES,
    "reports": REPORTS,
    "reports_under": REPORTS,
    "column_reports": REPORTS,
    "under": REPORTS,
    "pages": PAGES,
    "assets": ASSETS,
    "left_out": SELECTION,
    "files_left_out": SELECTION,
    "valid_until": SELECTION,
    "topics": REPORTS,  # every topic holds reports of site.reports
}
ALL_FACETS = frozenset(SITE_FACETS.values()) | {STRINGS, TEMPLATE_IDS}

# What the shared layout (base.html, header, footer, the report list macro) reads.
LAYOUT = frozenset({CONFIG, STRINGS, COLUMNS})


@dataclass(frozen=True)
class Depends:
    """What a page's output is made of besides its own fields and its templates."""

    reports: tuple[str, ...] = ()  # Report.source of every report the page shows
    facets: frozenset[str] = LAYOUT


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str
    key: str = ""  # a UI string key the theme translates, given the title as {year}

    def __repr__(self) -> str:  # the dataclass's text, without its recursion guard (page keys)
        return f"Crumb(title={self.title!r}, url={self.url!r}, key={self.key!r})"


class Shared(tuple):
    """Values that many pages share and that hold no report: the URLs of a listing's pages
    (strings), a trail of crumbs. Immutable, so its text for page keys (``repr``) is made
    once, and a walk for reports skips it."""

    def __new__(cls, items: Iterable[str | Crumb] = ()) -> Shared:
        self = super().__new__(cls, items)
        for item in self:
            if type(item) is not str and type(item) is not Crumb:
                raise TypeError(f"Shared holds strings and crumbs, not {type(item).__name__}")
        return self

    def __repr__(self) -> str:
        text = self.__dict__.get("repr")
        if text is None:
            text = self.__dict__["repr"] = tuple.__repr__(self)
        return text


@dataclass
class Paginator:
    number: int
    count: int
    urls: Sequence[str]  # the same Shared for every page of a listing

    def __post_init__(self) -> None:
        if type(self.urls) is not Shared:
            self.urls = Shared(self.urls)

    def __repr__(self) -> str:  # the dataclass's text, without its recursion guard (page keys)
        return f"Paginator(number={self.number!r}, count={self.count!r}, urls={self.urls!r})"

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


@dataclass
class Series:
    name: str
    slug: str
    description: str
    reports: list[Report]  # oldest year first

    @property
    def url(self) -> str:
        return f"/series/{self.slug}/"


@dataclass
class Group:
    """Reports of one column inside a list (home page blocks, year archives)."""

    column: Column
    reports: list[Report]

    def __repr__(self) -> str:  # the dataclass's text, without its recursion guard (page keys)
        return f"Group(column={self.column!r}, reports={self.reports!r})"


@dataclass
class Page:
    """One output file and everything its template needs.

    ``facets`` is the page kind's declaration of the site-level facets its template reads;
    :attr:`depends` adds every report the page's own fields hold.
    """

    kind: str  # home, column, year, series, series_index, report, sitemap, 404, ...
    url: str
    template: str
    title: str
    source: str = ""  # the content file behind the page, for messages
    column: Column | None = None
    report: Report | None = None
    reports: list[Report] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    paginator: Paginator | None = None
    year: int | None = None
    years: list[int] = field(default_factory=list)
    series: Series | None = None
    newer: Report | None = None
    older: Report | None = None
    breadcrumbs: Sequence[Crumb] = field(default_factory=list)  # a Shared where pages share it
    lastmod: dt.datetime | None = None
    # What a page kind's template is about (a Topic, the catalogue's filters, links of the
    # site map) and other reports it shows by name (the carousel, the catalogue's rows):
    # plain fields, so the reports in them are part of :attr:`depends` like any other.
    subject: Any = None
    shows: dict[str, list[Report]] = field(default_factory=dict)
    facets: frozenset[str] = LAYOUT
    depends: Depends = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found: list[Report] = []
        for value in own_values(self):  # reports_in(own_values(self)), without a call per field
            kind = type(value)
            if kind is Report:
                found.append(value)
            elif kind not in NO_REPORTS and (kind not in CONTAINERS or value):
                _collect(value, found)
        shown = dict.fromkeys([r.source for r in found])
        self.depends = Depends(tuple(shown), frozenset(self.facets))
        # What `output` gives, made now: every page's output path is asked for (cached_property
        # takes a lock on each first read).
        self.__dict__["output"] = output_file(self.url)

    @cached_property
    def output(self) -> str:  # a page's URL is never changed once it is made
        return output_file(self.url)

    @property
    def is_html(self) -> bool:
        return self.output.endswith(".html")


# Fields of a page that are its declaration, not what it shows.
DECLARATION = ("depends", "facets")
SHOWN = tuple(f.name for f in fields(Page) if f.name not in DECLARATION)
_shown_values = operator.attrgetter(*SHOWN)


def own_values(page: Page) -> tuple[Any, ...]:
    """The values of the fields a page shows, in field order."""
    return _shown_values(page)


# Types that hold no report: a walk for reports stops at them (a Paginator holds numbers and
# a Shared of strings).
NO_REPORTS = frozenset(
    {str, int, float, bool, type(None), dt.datetime, dt.date, Column, Crumb, Shared, Paginator}
)
# Types whose empty values hold nothing either (not their subclasses: one may hold more).
CONTAINERS = frozenset({list, tuple, dict})


def reports_in(value: object) -> list[Report]:
    """Every report held by a value of a page's fields, at any depth (groups, series, a
    new field), in the order the fields hold them."""
    found: list[Report] = []
    _collect(value, found)
    return found


def _collect(value: object, found: list[Report]) -> None:
    kind = type(value)
    if kind is Report or isinstance(value, Report):
        found.append(value)  # type: ignore[arg-type]
    elif kind in NO_REPORTS:
        return
    elif isinstance(value, (list, tuple)):
        for item in value:
            if type(item) is Report:
                found.append(item)
            elif type(item) not in NO_REPORTS:
                _collect(item, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(key, found)
            _collect(item, found)
    elif is_dataclass(value) and not isinstance(value, type):
        for name, item in vars(value).items():
            if name != "depends":
                _collect(item, found)


@dataclass
class Site:
    config: SiteConfig
    columns: dict[tuple[str, ...], Column]
    reports: list[Report]  # published, newest first
    nav: list[Column]
    years: list[int]  # newest first
    series: dict[str, Series]
    pages: list[Page]
    assets: list[str]
    left_out: dict[str, int]
    column_reports: dict[tuple[str, ...], list[Report]]  # own reports, newest first
    valid_until: dt.datetime | None = None  # when the selection of reports changes by itself
    files_left_out: dict[str, int] = field(default_factory=dict)  # files of content/, by reason
    # Reports of each column and its sub-columns, newest first (for page kinds).
    under: dict[tuple[str, ...], list[Report]] = field(default_factory=dict, repr=False)
    # 专题 with their reports (pages.topics.Topic), collected with their warnings by the model.
    topics: list[Any] = field(default_factory=list)

    @property
    def root_column(self) -> Column:
        return self.columns[()]

    def reports_under(self, column: Column) -> list[Report]:
        """Published reports of a column and its sub-columns, newest first (for templates)."""
        if self.under:
            return self.under.get(column.path, [])
        prefix = column.path
        return [r for r in self.reports if r.column[: len(prefix)] == prefix]
