"""Disclosure completeness (信息公开要素): policy documents carry 文号 and 索引号, a repealed or
expired document carries its date, and nothing past its expiry still says 有效."""

from __future__ import annotations

import datetime as dt

from ..content import Column, Report
from ..messages import _
from .findings import POINTS, Finding

POLICY_WORDS = ("政策", "文件", "规范性")
ENDED = ("失效", "废止", "部分失效", "已修改")


def is_policy_column(column: Column) -> bool:
    return any(w in (column.column_type or column.title) for w in POLICY_WORDS)


def disclosure_findings(
    columns: dict[tuple[str, ...], Column], reports: list[Report], now: dt.datetime
) -> list[Finding]:
    """``reports``: every report that is not a draft (published, or left out as expired)."""
    name = _("Disclosure fields (信息公开要素)")
    findings: list[Finding] = []
    for report in reports:
        fields = report.disclosure
        policy = any(
            is_policy_column(columns[report.column[:n]])
            for n in range(1, len(report.column) + 1)
            if report.column[:n] in columns
        )
        no_doc, no_index = not fields.get("doc_no"), not fields.get("index_no")
        if policy and (no_doc or no_index):
            if no_doc and no_index:
                message = _(
                    "policy document 「{title}」 has neither a document number (文号) nor an "
                    "index number (索引号)",
                    title=report.title,
                )
            elif no_doc:
                message = _(
                    "policy document 「{title}」 has no document number (文号)", title=report.title
                )
            else:
                message = _(
                    "policy document 「{title}」 has no index number (索引号)", title=report.title
                )
            findings.append(
                Finding(
                    POINTS,
                    "disclosure-fields",
                    name,
                    report.title,
                    message,
                    _("add doc_no and index_no to its front matter"),
                    where=report.source,
                )
            )
        validity = fields.get("validity", "")
        if validity in ENDED and not fields.get("validity_date"):
            findings.append(
                Finding(
                    POINTS,
                    "disclosure-validity-date",
                    name,
                    report.title,
                    _(
                        "「{title}」 is marked {validity} without the date it changed",
                        title=report.title,
                        validity=validity,
                    ),
                    _("add validity_date: the day it became {validity}", validity=validity),
                    where=report.source,
                )
            )
        if validity == "有效" and report.expires is not None and report.expires <= now:
            findings.append(
                Finding(
                    POINTS,
                    "disclosure-expired-valid",
                    name,
                    report.title,
                    _(
                        "「{title}」 expired on {date} but is still marked 有效",
                        title=report.title,
                        date=report.expires.date().isoformat(),
                    ),
                    _(
                        "set validity: 失效 and validity_date: {date}",
                        date=report.expires.date().isoformat(),
                    ),
                    since=report.expires.date().isoformat(),
                    where=report.source,
                )
            )
    return findings
