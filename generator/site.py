"""The site model: column tree, reports, years, series, pagination and URLs. Pure, no I/O."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .config import SiteConfig
from .content import (
    Column,
    Content,
    Report,
    published_files,
    segment_problem,
    unpublished_reason,
)
from .errors import Diagnostics
from .gallery import carousel
from .pins import mark_pins, pin_ends, pinned_first
from .schema import did_you_mean
from .seriescheck import check_series_years
from .urls import expand_permalink, is_inside, normalise, output_file

FEED_SIZE = 20


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str
    key: str = ""  # a UI string key the theme translates, given the title as {year}


@dataclass
class Paginator:
    number: int
    count: int
    urls: list[str]

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


@dataclass
class Page:
    """One output file and everything its template needs."""

    kind: str  # home, column, year, series, series_index, report, sitemap, 404
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
    breadcrumbs: list[Crumb] = field(default_factory=list)
    lastmod: dt.datetime | None = None
    subject: Any = None  # what the page is about, for its template (a Topic, the facets)
    shows: dict[str, list[Report]] = field(default_factory=dict)  # other reports it shows

    @property
    def output(self) -> str:
        return output_file(self.url)

    @property
    def is_html(self) -> bool:
        return self.output.endswith(".html")


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

    @property
    def root_column(self) -> Column:
        return self.columns[()]

    def reports_under(self, column: Column) -> list[Report]:
        """Published reports of a column and its sub-columns, newest first (for templates)."""
        return reports_under(self.reports, column)


def reports_under(reports: list[Report], column: Column) -> list[Report]:
    prefix = column.path
    return [r for r in reports if r.column[: len(prefix)] == prefix]


def sort_key(report: Report) -> tuple:
    # Newest first; then weight, then URL, so that the order never depends on the file system.
    return (-report.date.timestamp(), report.weight, report.url)


def next_change(reports: list[Report], now: dt.datetime) -> dt.datetime | None:
    """The first moment after ``now`` when a report becomes due or expires."""
    moments = [r.date for r in reports if r.date > now]
    moments += [r.expires for r in reports if r.expires is not None and r.expires > now]
    return min(moments, default=None)


def select(
    reports: list[Report], now: dt.datetime, drafts: bool, future: bool, expired: bool
) -> tuple[list[Report], dict[str, int]]:
    """Reports to publish, and how many were left out for which reason."""
    kept: list[Report] = []
    left_out: dict[str, int] = defaultdict(int)
    for report in reports:
        reason = unpublished_reason(report, now, drafts, future, expired)
        if reason is None:
            kept.append(report)
        else:
            left_out[reason] += 1
    return kept, dict(left_out)


def _crumbs(column: Column | None, site_title: str) -> list[Crumb]:
    crumbs = [Crumb(site_title, "/")]
    if column is not None and column.path:
        crumbs += [Crumb(c.title, c.url) for c in [*column.ancestors, column]]
    return crumbs


def _paginate(url: str, items: list[Report], per_page: int) -> list[tuple[Paginator, list[Report]]]:
    count = max(1, -(-len(items) // per_page))
    urls = [url if n == 1 else f"{url}page/{n}/" for n in range(1, count + 1)]
    return [
        (Paginator(n, count, urls), items[(n - 1) * per_page : n * per_page])
        for n in range(1, count + 1)
    ]


paginate = _paginate  # for the page kinds of other modules (topics, catalogue)


def _groups(columns: dict[tuple[str, ...], Column], reports: list[Report]) -> list[Group]:
    by_column: dict[tuple[str, ...], list[Report]] = defaultdict(list)
    for report in reports:
        by_column[report.column].append(report)
    order = sorted(by_column, key=lambda p: _column_order(columns, p))
    return [Group(columns[p], by_column[p]) for p in order]


def _column_order(columns: dict[tuple[str, ...], Column], path: tuple[str, ...]) -> tuple:
    keys = []
    for n in range(1, len(path) + 1):
        column = columns[path[:n]]
        keys.append((column.weight, column.path[-1]))
    return tuple(keys)


def _nav(config: SiteConfig, content: Content, diag: Diagnostics) -> list[Column]:
    root = content.columns[()]
    if not config.nav:
        return list(root.children)
    nav = []
    known = {c.key: c for c in content.columns.values() if c.path}
    for key in config.nav:
        if key in known:
            nav.append(known[key])
        else:
            diag.error(
                "sitegen.yaml",
                f"nav names the column '{key}', which has no folder under content/",
                config.lines.get(("nav",)),
                hint=did_you_mean(key, list(known)) or "use folder paths such as xwzx/gsgg",
            )
    return nav


def build_site(
    config: SiteConfig,
    content: Content,
    diag: Diagnostics,
    now: dt.datetime,
    drafts: bool = False,
    future: bool = False,
    expired: bool = False,
) -> Site:
    """Turn loaded content into the full site model; URL clashes go to ``diag``."""
    from .catalogue import catalogue_pages  # page kinds of their own modules (they use Page)
    from .topics import collect_topics, topic_pages

    reports, left_out = select(content.reports, now, drafts, future, expired)
    mark_pins(reports, now)
    for report in reports:
        if report.link:  # 外链: listed with its address, no page of its own
            report.url = report.link
            continue
        section = "/".join(report.column)
        raw = expand_permalink(
            config.permalink,
            section,
            report.date.year,
            report.date.month,
            report.date.day,
            report.slug,
        )
        if not is_inside(raw) or ".." in raw.split("/"):
            diag.error(
                report.source,
                f"its URL {raw!r} would leave the output folder",
                hint="use a plain slug without '..' or '/'",
            )
            report.url = ""
            continue
        report.url = normalise(raw)
    reports = sorted((r for r in reports if r.url), key=sort_key)
    columns = content.columns
    title = config.title

    column_reports: dict[tuple[str, ...], list[Report]] = defaultdict(list)
    for report in reports:
        column_reports[report.column].append(report)

    years = sorted({r.date.year for r in reports}, reverse=True)
    check_series_years(config, reports, diag)
    series = _series(config, reports, diag)
    nav = _nav(config, content, diag)
    pages: list[Page] = []

    # Reports under each column (its own and its sub-columns'), newest first, in one pass.
    under: dict[tuple[str, ...], list[Report]] = defaultdict(list)
    for report in reports:
        for depth in range(len(report.column) + 1):
            under[report.column[:depth]].append(report)

    def subtree(column: Column) -> list[Report]:
        return under.get(column.path, [])

    def report_pages(column: Column, own: list[Report], crumbs: list[Crumb]) -> list[Page]:
        """A column's report pages, each linked to its newer and older neighbour."""
        own = [r for r in own if not r.link]
        return [
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
                series=series.get(report.series) if report.series else None,
                breadcrumbs=crumbs,
            )
            for index, report in enumerate(own)
        ]

    home_groups = []
    for column in nav:
        latest = pinned_first(subtree(column))[: config.home_per_column]
        home_groups.append(Group(column, latest))
    pages.append(
        Page(
            "home",
            "/",
            "home.html",
            title,
            columns[()].source,
            column=columns[()],
            groups=home_groups,
            years=years,
            reports=pinned_first(reports)[: config.home_per_column],
            shows={"carousel": carousel(columns, reports)},
        )
    )

    for column in columns.values():
        if not column.path:
            continue
        own = column_reports.get(column.path, [])
        all_reports = subtree(column)
        column_years = sorted({r.date.year for r in all_reports}, reverse=True)
        crumbs = _crumbs(column, title)
        child_groups = [
            Group(child, pinned_first(subtree(child))[: config.home_per_column])
            for child in column.children
        ]
        listed = pinned_first(own) if own or not column.children else []
        for paginator, items in _paginate(column.url, listed, config.per_page):
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
                    years=column_years,
                    groups=child_groups if paginator.number == 1 else [],
                    breadcrumbs=crumbs,
                )
            )
        by_year: dict[int, list[Report]] = defaultdict(list)
        for report in all_reports:
            by_year[report.date.year].append(report)
        for year in column_years:
            pages.append(
                Page(
                    "year",
                    f"{column.url}{year}/",
                    "year.html",
                    f"{column.title} {year}",
                    column.source,
                    column=column,
                    year=year,
                    years=column_years,
                    groups=_groups(columns, by_year[year]),
                    reports=by_year[year],
                    breadcrumbs=[*crumbs, Crumb(str(year), f"{column.url}{year}/", "year_title")],
                )
            )
        pages += report_pages(column, own, crumbs)

    pages += report_pages(columns[()], column_reports.get((), []), _crumbs(None, title))

    reports_by_year: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        reports_by_year[report.date.year].append(report)
    for year in years:
        in_year = reports_by_year[year]
        pages.append(
            Page(
                "year",
                f"/{year}/",
                "year.html",
                str(year),
                year=year,
                years=years,
                groups=_groups(columns, in_year),
                reports=in_year,
                breadcrumbs=[Crumb(title, "/"), Crumb(str(year), f"/{year}/", "year_title")],
            )
        )

    if series:
        pages.append(
            Page(
                "series_index",
                "/series/",
                "series_index.html",
                "series",
                breadcrumbs=[Crumb(title, "/"), Crumb("", "/series/", "series_index")],
            )
        )
    for item in series.values():
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
            )
        )

    features = topic_pages(collect_topics(config, reports, diag), config.per_page, title)
    features += catalogue_pages(config, reports)
    pages += features
    pages.append(
        Page(
            "sitemap",
            "/sitemap/",
            "sitemap.html",
            "sitemap",
            years=years,
            # The first page of each page kind of its own (topics, catalogue), for links.
            subject=[
                (p.kind, p.url)
                for p in features
                if p.kind == "topics" or (p.kind == "catalogue" and p.url == config.catalogue_path)
            ],
            breadcrumbs=[Crumb(title, "/"), Crumb("", "/sitemap/", "sitemap")],
        )
    )
    pages.append(Page("404", "/404.html", "404.html", "404"))
    if config.base_url:
        # Feeds and the XML sitemap need absolute URLs: made only when base_url is known.
        pages.append(Page("feed", "/feed.xml", "feed.xml", title, reports=reports[:FEED_SIZE]))
        for column in columns.values():
            if column.path:
                pages.append(
                    Page(
                        "feed",
                        f"{column.url}feed.xml",
                        "feed.xml",
                        column.title,
                        column=column,
                        reports=subtree(column)[:FEED_SIZE],
                    )
                )
        pages.append(Page("sitemap_xml", "/sitemap.xml", "sitemap.xml", "sitemap"))
    pages.append(Page("robots", "/robots.txt", "robots.txt", "robots"))
    if config.search:
        pages.append(
            Page(
                "search",
                "/search/",
                "search.html",
                "search",
                years=years,
                breadcrumbs=[Crumb(title, "/"), Crumb("", "/search/", "search_title")],
            )
        )

    newest = reports[0].date if reports else None
    for page in pages:
        page.lastmod = _lastmod(page, newest)
    _check_clashes(pages, diag)
    assets, files_left_out = published_files(content, config, diag, now, drafts, future, expired)
    return Site(
        config=config,
        columns=columns,
        reports=reports,
        nav=nav,
        years=years,
        series=series,
        pages=pages,
        assets=assets,
        left_out=left_out,
        column_reports=dict(column_reports),
        valid_until=min(
            [m for m in [next_change(content.reports, now), *pin_ends(reports, now)] if m],
            default=None,
        ),
        files_left_out=files_left_out,
    )


def _lastmod(page: Page, newest: dt.datetime | None) -> dt.datetime | None:
    """When a page last changed: its report's date, or the newest report it lists."""
    if page.report is not None:
        return page.report.lastmod or page.report.date
    listed = [r.lastmod or r.date for r in page.reports]
    listed += [r.lastmod or r.date for g in page.groups for r in g.reports]
    if page.series is not None:
        listed += [r.lastmod or r.date for r in page.series.reports]
    return max(listed) if listed else newest


def _series(config: SiteConfig, reports: list[Report], diag: Diagnostics) -> dict[str, Series]:
    """Series by name, each with the reports of its years; a series whose slug is not one
    safe folder name (``..``, ``a/b``) is an error, as it would write outside /series/."""
    grouped: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        if report.series:
            grouped[report.series].append(report)
    result: dict[str, Series] = {}
    for name in sorted(grouped):
        info = config.series.get(name)
        slug = info.slug if info and info.slug else name
        items = sorted(grouped[name], key=lambda r: (r.year, r.date, r.url))
        problem = segment_problem(slug)
        if problem is not None:
            diag.error(
                items[0].source,
                f"series slug {slug!r} {problem}",
                config.lines.get(("series", name, "slug")),
                "give the series a slug of letters, digits and '-' in sitegen.yaml, "
                "e.g. slug: fzzf-annual",
            )
            continue
        result[name] = Series(name, slug, info.description if info else "", items)
    return result


def _clash_key(output: str) -> str:
    """The output path as a case-insensitive file system or object store compares it:
    case folded, and NFC-equivalent spellings (macOS keeps names as NFD) made one."""
    return unicodedata.normalize("NFC", output).casefold()


def _check_clashes(pages: list[Page], diag: Diagnostics) -> None:
    """Two pages on one output file, or on two that only a case-sensitive host tells
    apart (``Report/`` and ``report/``, or the same name in NFC and NFD), are errors."""
    seen: dict[str, Page] = {}
    for page in pages:
        other = seen.get(_clash_key(page.output))
        if other is None:
            seen[_clash_key(page.output)] = page
            continue
        first = other.source or f"the {other.kind} page"
        if other.output == page.output:
            message = f"two pages have the same URL {page.url}: this one and {first}"
        else:
            message = (
                f"the URL {page.url} differs from {other.url} (of {first}) only in upper and "
                "lower case or in how its characters are composed; on Windows, macOS and "
                "object storage the two are one file"
            )
        diag.error(
            page.source or f"the {page.kind} page",
            message,
            hint="give one of them another slug (slug: …) or move it to another column",
        )
