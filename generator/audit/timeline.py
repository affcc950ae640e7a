"""A column's publications over the last two years as an inline SVG, with the allowed gap
marked: the window before the day of the check in which the column must have published, and
every gap between two publications longer than its interval."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from ..messages import _
from .freshness import ColumnRule

WIDTH, HEIGHT, PAD = 720, 70, 24
AXIS_Y = 44


@dataclass(frozen=True)
class Timeline:
    start: dt.datetime
    end: dt.datetime

    def x(self, when: dt.datetime) -> float:
        span = (self.end - self.start).total_seconds()
        share = (when - self.start).total_seconds() / span
        return round(PAD + min(max(share, 0.0), 1.0) * (WIDTH - 2 * PAD), 1)


def _ticks(start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The first of every third month inside the window."""
    ticks = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        tick = start.replace(year=year, month=month, day=1, hour=0, minute=0, second=0)
        if tick > end:
            return ticks
        if month in (1, 4, 7, 10):
            ticks.append(tick)


def timeline_svg(rule: ColumnRule, now: dt.datetime, element_id: str) -> dict:
    """What the report's template draws for one column (coordinates and labels)."""
    start = (
        now.replace(year=now.year - 2)
        if not (now.month == 2 and now.day == 29)
        else (now.replace(year=now.year - 2, day=28))
    )
    line = Timeline(start, now)
    dots = [line.x(d) for d in rule.dates if start <= d <= now]
    bands = []
    stale = rule.stale(now)
    if rule.interval is not None and not rule.interval.never:
        window = rule.interval.before(now)
        bands.append(
            {
                "x": line.x(window),
                "width": round(line.x(now) - line.x(window), 1),
                "kind": "late" if stale else "allowed",
            }
        )
        ordered = sorted(d for d in rule.dates if d <= now)
        for before, after in itertools.pairwise(ordered):
            due = rule.interval.after(before)
            if due < after and after >= start:
                bands.append(
                    {
                        "x": line.x(due),
                        "width": round(line.x(after) - line.x(due), 1),
                        "kind": "gap",
                    }
                )
    newest = rule.newest.date().isoformat() if rule.newest else _("no item yet")
    interval = rule.interval.describe() if rule.interval else _("no rule")
    recent = sum(1 for d in rule.dates if start <= d <= now)
    label = _(
        "{title}: {count} items in the last two years, newest {newest}, allowed gap {interval}",
        title=rule.column.title,
        count=recent,
        newest=newest,
        interval=interval,
    )
    return {
        "id": element_id,
        "width": WIDTH,
        "height": HEIGHT,
        "axis_y": AXIS_Y,
        "left": PAD,
        "right": WIDTH - PAD,
        "dots": dots,
        "bands": bands,
        "ticks": [{"x": line.x(t), "label": t.strftime("%Y-%m")} for t in _ticks(start, now)],
        "label": label,
        "stale": stale,
    }
