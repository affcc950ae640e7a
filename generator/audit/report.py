"""An audit's findings written out: plain text for the terminal, JSON for machines, and one
self-contained HTML page (no CDN, inline CSS and SVG) for the editor."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

from ..messages import _
from .findings import SEVERITIES, counts, severity_label, summary_line
from .run import AuditResult
from .timeline import timeline_svg


def _where(finding) -> str:
    if not finding.where:
        return ""
    return f"{finding.where}:{finding.line}" if finding.line else finding.where


def as_text(result: AuditResult) -> str:
    lines: list[str] = []
    for severity in SEVERITIES:
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"{severity_label(severity)} ({len(group)})")
        for finding in group:
            lines.append(f"  [{finding.name}] {finding.subject}: {finding.message}")
            if finding.action:
                lines.append("      " + _("what to do: {action}", action=finding.action))
            where = _where(finding)
            if where:
                lines.append("      " + _("file to edit: {where}", where=where))
    lines.append(summary_line(result.date.isoformat(), result.findings))
    return "\n".join(lines) + "\n"


def as_json(result: AuditResult) -> str:
    data = {
        "date": result.date.isoformat(),
        "site": result.site_title,
        "counts": counts(result.findings),
        "findings": [f.as_dict() for f in result.findings],
        "columns": [
            {
                "column": "/".join(rule.column.path),
                "title": rule.column.title,
                "kind": rule.kind,
                "update_every": str(rule.interval) if rule.interval else None,
                "origin": rule.origin,
                "newest": rule.newest.date().isoformat() if rule.newest else None,
                "items": len(rule.dates),
                "stale": rule.stale(result.now),
            }
            for rule in result.columns
        ],
        "pages_checked": result.pages_checked,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def as_html(result: AuditResult) -> str:
    groups = [
        {
            "severity": severity,
            "label": severity_label(severity),
            "findings": [f for f in result.findings if f.severity == severity],
        }
        for severity in SEVERITIES
    ]
    timelines = [
        {"rule": rule, "svg": timeline_svg(rule, result.now, f"timeline-{i}")}
        for i, rule in enumerate(result.columns)
    ]
    words = {
        "title": _("Self-check against the inspection indicators"),
        "date": _("Day of the check: {date}", date=result.date.isoformat()),
        "summary": summary_line(result.date.isoformat(), result.findings),
        "none": _("nothing found"),
        "action": _("what to do"),
        "where": _("file to edit"),
        "since": _("late since"),
        "timelines": _("Publications per column, last two years"),
        "legend": _(
            "Each dot is a publication. The green band is the allowed gap before the day of the "
            "check; red marks a column that is late and every longer gap."
        ),
        "newest": _("newest"),
        "interval": _("allowed gap"),
        "no_rule": _("no rule"),
    }
    template = _ENV.get_template("report.html")
    return template.render(
        result=result, groups=groups, timelines=timelines, t=words, where=_where, counts=counts
    )


FORMATS = {"text": as_text, "json": as_json, "html": as_html}
