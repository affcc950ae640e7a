"""Update intervals such as ``2w``, ``6m``, ``1y`` or ``never``: parse, check and add to a date.

A column's ``update_every:`` and the ``audit.update_rules`` of ``sitegen.yaml`` are written in
this form; ``sitegen audit`` adds them to a column's newest publication date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .messages import _

_FORM = re.compile(r"\s*(\d{1,4})\s*([dwmy])\s*", re.IGNORECASE)
EXAMPLE = "2w, 6m, 1y or never"


@dataclass(frozen=True)
class Interval:
    """``amount`` days, weeks, months or years; ``unit`` "never" for a column kept as history."""

    amount: int
    unit: str  # d, w, m, y or never

    @property
    def never(self) -> bool:
        return self.unit == "never"

    def after(self, when: dt.datetime) -> dt.datetime:
        """``when`` plus this interval (months and years by the calendar, day clamped)."""
        return self._shift(when, 1)

    def before(self, when: dt.datetime) -> dt.datetime:
        """``when`` minus this interval."""
        return self._shift(when, -1)

    def _shift(self, when: dt.datetime, sign: int) -> dt.datetime:
        if self.unit == "d":
            return when + sign * dt.timedelta(days=self.amount)
        if self.unit == "w":
            return when + sign * dt.timedelta(weeks=self.amount)
        months = sign * self.amount * (12 if self.unit == "y" else 1)
        index = when.month - 1 + months
        year, month = when.year + index // 12, index % 12 + 1
        day = min(when.day, calendar.monthrange(year, month)[1])
        return when.replace(year=year, month=month, day=day)

    def describe(self) -> str:
        """The interval in words of the current language ("6 months", "6 个月")."""
        if self.never:
            return _("never")
        n = self.amount
        if n == 1:
            return {"d": _("1 day"), "w": _("1 week"), "m": _("1 month"), "y": _("1 year")}[
                self.unit
            ]
        return {
            "d": _("{n} days", n=n),
            "w": _("{n} weeks", n=n),
            "m": _("{n} months", n=n),
            "y": _("{n} years", n=n),
        }[self.unit]

    def __str__(self) -> str:
        return "never" if self.never else f"{self.amount}{self.unit}"


def parse_interval(value: object) -> Interval | None:
    """The interval ``value`` writes, or None when it is not one."""
    if not isinstance(value, str):
        return None
    if value.strip().lower() == "never":
        return Interval(0, "never")
    match = _FORM.fullmatch(value)
    if not match or int(match.group(1)) == 0:
        return None
    return Interval(int(match.group(1)), match.group(2).lower())


def check_interval(value: object) -> str | None:
    """Why ``value`` is not an interval (for the validators), or None."""
    if parse_interval(value) is None:
        return _("{value!r} is not an interval such as {example}", value=value, example=EXAMPLE)
    return None


def months_between(earlier: dt.datetime, later: dt.datetime) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (0 when less than one)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)
