"""Front-matter fields that shape lists rather than the report page: 置顶 (``top``),
外链 (``link``) and 专题 (``topics``); and the note on a
series report whose year comes from its date. Checked once, as the report is read."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .config import SiteConfig
from .dates import EXAMPLES, parse_date
from .errors import Diagnostics
from .frontmatter import SourceFile
from .messages import _
from .schema import word_list
from .urls import check_link

TIME_WRITTEN = re.compile(r"\d:\d")  # '2026-12-31 18:00': the pin ends at that minute


def list_fields(
    src: SourceFile, known: dict[str, Any], config: SiteConfig, diag: Diagnostics
) -> dict[str, Any]:
    """The Report fields ``top``, ``top_until``, ``link`` and ``topics``."""
    top, until = _top(src, known["top"], config, diag)
    return {
        "top": top,
        "top_until": until,
        "link": _link(src, known["link"], known["attachments"], diag),
        "topics": _topics(known["topics"]),
    }


def _top(
    src: SourceFile, value: Any, config: SiteConfig, diag: Diagnostics
) -> tuple[bool, dt.datetime | None]:
    """``true`` pins for good; a date pins through the end of that day, a date with a time
    until that moment."""
    if isinstance(value, bool):
        return value, None
    parsed = parse_date(value, config.zone)
    if parsed is None:
        diag.error(
            src.shown,
            _("cannot read 'top' {value} as true or a date", value=repr(value)),
            src.meta.line("top"),
            _(
                "write top: true, or the last day of the pin: top: 2026-12-31 ({examples})",
                examples=EXAMPLES,
            ),
        )
        return False, None
    if isinstance(value, dt.date) or not TIME_WRITTEN.search(str(value)):
        parsed += dt.timedelta(days=1)  # a day named is a day included
    return True, parsed


def _link(src: SourceFile, value: str, attachments: list, diag: Diagnostics) -> str:
    """外链: an http(s) address with a host, and nothing of the report's own to publish."""
    text = value.strip()
    if not text:
        return ""
    line = src.meta.line("link")
    link = check_link(text)
    scheme = text.split(":", 1)[0].lower()
    if link.kind != "external" or scheme not in ("http", "https"):
        problem = link.problem or _(
            "{value} is not an http:// or https:// address", value=repr(text)
        )
        diag.error(
            src.shown,
            _("'link' must be the address of a page on another site: {problem}", problem=problem),
            line,
            _("write the whole address, e.g. link: https://www.gov.cn/zhengce/…"),
        )
        return ""
    if attachments:
        diag.error(
            src.shown,
            _(
                "a report with 'link' has no page of its own, so its attachments would never "
                "be shown"
            ),
            src.meta.line("attachments"),
            _("remove 'attachments', or remove 'link' to publish the report as a page"),
        )
        return ""
    if src.body.strip():
        diag.warn(
            src.shown,
            _("a report with 'link' has no page of its own: its text is not published"),
            line,
            _("remove the text, or remove 'link' to publish it as a page"),
        )
    return link.value


def _topics(value: Any) -> list[str]:
    return list(dict.fromkeys(word_list(value)))  # the one keywords splitter


def series_year_note(src: SourceFile, series: str, date: dt.datetime, diag: Diagnostics) -> None:
    """A series report without ``year`` is taken as reporting on the year of its date:
    say so, since an annual report is often published the year after."""
    diag.warn(
        src.shown,
        _(
            "in the series {series} without 'year': taken as the report on {year}, the year of "
            "its date {date}",
            series=repr(series),
            year=date.year,
            date=date.date().isoformat(),
        ),
        src.meta.line("series"),
        _(
            "add year: {before} if it reports on the year before (or year: {year} to confirm)",
            before=date.year - 1,
            year=date.year,
        ),
    )
