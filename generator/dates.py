"""Parse the dates editors write in front matter into time-zone-aware datetimes."""

from __future__ import annotations

import datetime as dt
import os
import re

from .errors import BuildFailed, Problem
from .messages import N_, _

# A fixed "now" for every command (tests, reproducible runs): ISO 8601.
NOW_VARIABLE = "SITEGEN_NOW"

FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d",
    "%Y年%m月%d日",
    "%Y年%m月%d日 %H:%M",
)
EXAMPLES = N_("2020-12-23, '2020-12-23 09:30' or 2020年12月23日")  # translate when shown


def parse_date(value: object, zone: dt.tzinfo) -> dt.datetime | None:
    """Return an aware datetime, or ``None`` when the value is not a date we understand."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", " ", value.strip())
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None:
        for fmt in FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def site_now(zone: dt.tzinfo, now: dt.datetime | None = None) -> dt.datetime:
    """ "Now" in the site's time zone: ``now`` when given, else $SITEGEN_NOW (ISO 8601, in the
    site's zone when it names none), else the clock. Every command takes "now" from it."""
    if now is None:
        fixed = os.environ.get(NOW_VARIABLE, "").strip()
        if fixed:
            try:
                now = dt.datetime.fromisoformat(fixed)
            except ValueError:
                raise BuildFailed(
                    [
                        Problem(
                            NOW_VARIABLE,
                            _("cannot read {value} as a date and time", value=repr(fixed)),
                            None,
                            _(
                                "write it as 2024-06-01T12:00 or 2024-06-01T12:00+08:00, or unset it"
                            ),
                        )
                    ]
                ) from None
    if now is None:
        return dt.datetime.now(zone)
    return now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)


def gives_time(value: object) -> bool:
    """True when a front-matter date names a time of day (``2021-03-18 10:00``), not only
    a day: the page then shows it."""
    if isinstance(value, dt.datetime):
        return True
    return isinstance(value, str) and ":" in value
