"""The site model: selects the reports, gives them URLs, makes years, series and the
navigation, then runs the page kinds of :mod:`generator.pages`. Pure, no I/O."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict

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
from .messages import _
from .pages import make_pages
from .pages.feeds import FEED_SIZE
from .pages.model import Crumb, Group, Page, Paginator, Series, Site
from .pages.topics import collect_topics
from .pins import mark_pins, pin_ends
from .schema import did_you_mean
from .seriescheck import check_series_years
from .urls import expand_permalink, is_inside, normalise

__all__ = ["FEED_SIZE", "Crumb", "Group", "Page", "Paginator", "Series", "Site", "build_site"]


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
                _("nav names the column '{key}', which has no folder under content/", key=key),
                config.lines.get(("nav",)),
                hint=did_you_mean(key, list(known)) or _("use folder paths such as xwzx/gsgg"),
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
    """Turn loaded content into the full site model; URL clashes go to ``diag``.

    The pages are made by the page kinds of :mod:`generator.pages`, in their order."""
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
                _("its URL {url} would leave the output folder", url=repr(raw)),
                hint=_("use a plain slug without '..' or '/'"),
            )
            report.url = ""
            continue
        report.url = normalise(raw)
    reports = sorted((r for r in reports if r.url), key=sort_key)
    column_reports: dict[tuple[str, ...], list[Report]] = defaultdict(list)
    # Reports under each column (its own and its sub-columns'), newest first, in one pass.
    under: dict[tuple[str, ...], list[Report]] = defaultdict(list)
    for report in reports:
        column_reports[report.column].append(report)
        for depth in range(len(report.column) + 1):
            under[report.column[:depth]].append(report)
    check_series_years(config, reports, diag)
    site = Site(
        config=config,
        columns=content.columns,
        reports=reports,
        nav=_nav(config, content, diag),
        years=sorted({r.date.year for r in reports}, reverse=True),
        series=_series(config, reports, diag),
        pages=[],
        assets=[],
        left_out=left_out,
        column_reports=dict(column_reports),
        # the selection changes by itself when a report becomes due or expires, and the
        # lists when a 置顶 pin ends
        valid_until=min(
            [m for m in [next_change(content.reports, now), *pin_ends(reports, now)] if m],
            default=None,
        ),
        under=dict(under),
        topics=collect_topics(config, reports, diag),
    )
    site.pages = make_pages(site)
    newest = reports[0].date if reports else None
    for page in site.pages:
        page.lastmod = _lastmod(page, newest)
    _check_clashes(site.pages, diag)
    site.assets, site.files_left_out = published_files(
        content, config, diag, now, drafts, future, expired
    )
    return site


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
                _("series slug {slug} {problem}", slug=repr(slug), problem=problem),
                config.lines.get(("series", name, "slug")),
                _(
                    "give the series a slug of letters, digits and '-' in sitegen.yaml, "
                    "e.g. slug: fzzf-annual"
                ),
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
        output = page.output
        # ASCII: NFC leaves it as it is, and casefold is lower
        key = output.lower() if output.isascii() else _clash_key(output)
        other = seen.get(key)
        if other is None:
            seen[key] = page
            continue
        first = other.source or _("the {kind} page", kind=other.kind)
        if other.output == page.output:
            message = _(
                "two pages have the same URL {url}: this one and {other}", url=page.url, other=first
            )
        else:
            message = _(
                "the URL {url} differs from {other_url} (of {other}) only in upper and "
                "lower case or in how its characters are composed; on Windows, macOS and "
                "object storage the two are one file",
                url=page.url,
                other_url=other.url,
                other=first,
            )
        diag.error(
            page.source or _("the {kind} page", kind=page.kind),
            message,
            hint=_("give one of them another slug (slug: …) or move it to another column"),
        )
