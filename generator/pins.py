"""置顶: which reports are pinned at the build's "now", and lists with them first."""

from __future__ import annotations

import datetime as dt

from .content import Report


def mark_pins(reports: list[Report], now: dt.datetime) -> None:
    """Set ``pinned`` on every report: asked for, and its pin not ended before ``now``."""
    for report in reports:
        report.pinned = report.top and (report.top_until is None or now < report.top_until)


def pinned_first(reports: list[Report]) -> list[Report]:
    """The pinned reports first (newest first, then by file, a stable order), then the
    others in the order given."""
    pinned = sorted((r for r in reports if r.pinned), key=lambda r: (-r.date.timestamp(), r.source))
    if not pinned:
        return reports
    return pinned + [r for r in reports if not r.pinned]


def pin_ends(reports: list[Report], now: dt.datetime) -> list[dt.datetime]:
    """The moments after ``now`` when a pin ends: the lists change by themselves then."""
    return [r.top_until for r in reports if r.top and r.top_until and r.top_until > now]
