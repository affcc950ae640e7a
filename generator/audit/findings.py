"""Audit findings as values: which rule, which column or page, since when, what to do.

Findings fall into three groups as in the inspection indicators: 单项否决 (the site fails the
inspection outright), 扣分 (it loses points) and 提示 (notes). The exit status follows the worst
group: 2, 1 or 0.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from ..messages import _

VETO = "veto"  # 单项否决
POINTS = "points"  # 扣分
NOTE = "note"  # 提示
SEVERITIES = (VETO, POINTS, NOTE)


def severity_label(severity: str) -> str:
    return {
        VETO: _("Fails the inspection"),
        POINTS: _("Loses points"),
        NOTE: _("Notes"),
    }[severity]


@dataclass(frozen=True)
class Finding:
    """One thing the inspection would find.

    ``rule`` is a stable id (``column-stale``, ``empty-column`` …, listed in the README);
    ``name`` the rule as the indicators name it, in the current language; ``subject`` the column,
    page or setting concerned; ``since`` the date the problem started (ISO) when known; ``where``
    the file to edit (with ``line`` when known).
    """

    severity: str
    rule: str
    name: str
    subject: str
    message: str
    action: str = ""
    since: str = ""
    where: str = ""
    line: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def counts(findings: list[Finding]) -> dict[str, int]:
    found = Counter(f.severity for f in findings)
    return {severity: found.get(severity, 0) for severity in SEVERITIES}


def exit_status(findings: list[Finding]) -> int:
    """2 when any finding fails the inspection, 1 when any loses points, else 0."""
    found = counts(findings)
    return 2 if found[VETO] else 1 if found[POINTS] else 0


def summary_line(date: str, findings: list[Finding]) -> str:
    found = counts(findings)
    return _(
        "audit as of {date}: {veto} fail the inspection, {points} lose points, {note} notes",
        date=date,
        veto=found[VETO],
        points=found[POINTS],
        note=found[NOTE],
    )


def ordered(findings: list[Finding]) -> list[Finding]:
    """Worst group first; inside a group in the order the rules found them."""
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: rank[f.severity])
