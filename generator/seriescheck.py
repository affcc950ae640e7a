"""Checks of yearly series across reports: one report per series and year, and series
names that look like a slip of another one."""

from __future__ import annotations

import difflib

from .config import SiteConfig
from .content import Report
from .errors import Diagnostics
from .messages import _


def check_series_years(config: SiteConfig, reports: list[Report], diag: Diagnostics) -> None:
    """Two reports of one series and year are an error naming both files; a series name
    close to another (in the content or the config) gets a "did you mean" warning."""
    seen: dict[tuple[str, int], Report] = {}
    for report in sorted((r for r in reports if r.series), key=lambda r: r.source):
        first = seen.setdefault((report.series, report.year), report)
        if first is not report:
            diag.error(
                report.source,
                _(
                    "two reports of the series {series} are on the year {year}: this one and "
                    "{other}",
                    series=repr(report.series),
                    year=report.year,
                    other=first.source,
                ),
                None,
                _(
                    "set year: to the year each one reports on (the year before its date, for "
                    "a report published early in the next year)"
                ),
            )
    counts: dict[str, int] = {}
    for report in reports:
        if report.series:
            counts[report.series] = counts.get(report.series, 0) + 1
    names = sorted(set(counts) | set(config.series))
    for name in sorted(counts):
        others = [n for n in names if n != name]
        close = difflib.get_close_matches(name, others, n=1, cutoff=0.8)
        # The rarer spelling is the slip: the warning goes to it (ties: both are named).
        if close and counts[name] <= counts.get(close[0], len(reports) + 1):
            first = min((r for r in reports if r.series == name), key=lambda r: r.source)
            diag.warn(
                first.source,
                _(
                    "the series {name} is close to the series {other}",
                    name=repr(name),
                    other=repr(close[0]),
                ),
                None,
                _(
                    "did you mean {other}? A series is one name written the same way in every "
                    "report",
                    other=repr(close[0]),
                ),
            )
