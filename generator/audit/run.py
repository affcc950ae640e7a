"""Run an audit: read the site as of a date, build it into a scratch folder (or take a built
one), apply every rule and gather the findings with what the HTML report's timelines need."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..build import BuildOptions, build
from ..config import load_config
from ..content import Report, load_content
from ..dates import site_now
from ..errors import BuildFailed, Diagnostics, Problem
from ..intervals import parse_interval
from ..messages import _
from ..parallel import default_jobs
from ..site import Site, build_site
from .a11y import static_findings
from .axe import axe_findings
from .basics import basic_findings
from .disclosure import disclosure_findings
from .findings import VETO, Finding, ordered
from .freshness import ColumnRule, column_findings, column_rules, home_finding
from .links import link_findings


@dataclass
class AuditOptions:
    source: Path = Path(".")
    date: dt.date | None = None  # the day of the check; default today in the site's zone
    built: Path | None = None  # a built site to check links in, instead of building one
    external: bool = False
    a11y: bool = False
    timeout: float = 10.0
    jobs: int = field(default_factory=default_jobs)


@dataclass
class AuditResult:
    date: dt.date
    now: dt.datetime
    site_title: str
    language: str
    findings: list[Finding]
    columns: list[ColumnRule] = field(default_factory=list)
    pages_checked: int = 0


def audit_now(options: AuditOptions, zone: dt.tzinfo) -> dt.datetime:
    """The moment of the check: the end of ``options.date`` in the site's zone, else now."""
    if options.date is not None:
        day = options.date
        return dt.datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=zone)
    return site_now(zone)


def _build_failed(problems: list[Problem]) -> list[Finding]:
    return [
        Finding(
            VETO,
            "site-build",
            _("The site does not build (网站无法生成)"),
            problem.path,
            problem.message,
            problem.hint,
            where=problem.path,
            line=problem.line,
        )
        for problem in problems
    ]


def _home_reports(site: Site) -> list[Report]:
    """The reports the home page shows, as the page declares them (``Page.depends``)."""
    by_source = {r.source: r for r in site.reports}
    shown: list[Report] = []
    for page in site.pages:
        if page.kind == "home":
            shown.extend(by_source[s] for s in page.depends.reports if s in by_source)
    return shown


def _one_page_per_kind(site: Site) -> dict[str, str]:
    pages: dict[str, str] = {}
    for page in site.pages:
        if page.is_html and page.kind not in pages:
            pages[page.kind] = page.output
    return pages


def run_audit(options: AuditOptions) -> AuditResult:
    diag = Diagnostics()
    config = load_config(options.source, diag)
    if config is None:
        now = site_now(dt.UTC)
        today = options.date or now.date()
        return AuditResult(today, now, "", "zh-CN", _build_failed(diag.errors))
    now = audit_now(options, config.zone)
    content = load_content(config, diag, None, options.jobs)
    site = build_site(config, content, diag, now)
    result = AuditResult(now.date(), now, config.title, config.language, [])
    if diag.errors:
        result.findings = _build_failed(diag.errors)
        return result
    findings: list[Finding] = []
    home_every = parse_interval(config.audit.home_every) or parse_interval("2w")
    home = home_finding(_home_reports(site), now, home_every, _("home page"))  # type: ignore[arg-type]
    if home is not None:
        findings.append(home)
    result.columns = column_rules(site.columns, site.reports, config)
    findings.extend(column_findings(result.columns, now))
    findings.extend(basic_findings(config, any(p.kind == "sitemap" for p in site.pages)))
    current = [r for r in content.reports if not r.draft and r.date <= now]
    findings.extend(disclosure_findings(site.columns, current, now))
    with tempfile.TemporaryDirectory(prefix="sitegen-audit-") as scratch:
        output = options.built
        if output is None:
            output = Path(scratch) / "site"
            try:
                build(
                    BuildOptions(
                        source=options.source,
                        output=output,
                        cache=False,
                        now=now,
                        jobs=options.jobs,
                    )
                )
            except BuildFailed as exc:
                result.findings = ordered(findings + _build_failed(exc.problems))
                return result
        links, result.pages_checked = link_findings(
            output, config.base_path, options.external, options.timeout
        )
        findings.extend(links)
        findings.extend(static_findings(output, config))
        if options.a11y:
            findings.extend(axe_findings(output, config.base_path, _one_page_per_kind(site)))
    result.findings = ordered(findings)
    return result
