"""Update rules: is each column, and the home page, updated as often as its kind must be?

A column's interval comes, in this order, from its own ``update_every:`` (``_index.md``), from
the first word of ``audit.update_rules`` (sitegen.yaml) found in its ``column_type`` or title,
and from the built-in words below (the indicators' column kinds). A column none of them names has
no rule: a note says so. Empty columns (no published report in the column or under it) are
counted apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..config import SiteConfig
from ..content import Column, Report
from ..intervals import Interval, months_between, parse_interval
from ..messages import N_, _
from .findings import NOTE, POINTS, VETO, Finding

DYNAMIC, NOTICE, LONG, CUSTOM = "dynamic", "notice", "long", "custom"

# Built-in words → (kind, interval), tried in this order on the column type, then the title.
BUILT_IN: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("动态", "要闻", "新闻", "进展", "资讯", "快讯"), DYNAMIC, "2w"),
    (("通知", "公告", "公示", "政策", "文件", "规范性"), NOTICE, "6m"),
    (("人事", "规划", "计划", "年报", "年度报告"), LONG, "1y"),
)
# The indicators: 5 or more stale dynamic + notice columns, or 10 or more stale columns of any
# kind that should be updated, or 5 or more empty columns fail the inspection.
STALE_SHORT_LIMIT = 5
STALE_ALL_LIMIT = 10
EMPTY_LIMIT = 5


@dataclass
class ColumnRule:
    """What a column must do, and the evidence: its publication dates, newest first."""

    column: Column
    kind: str  # DYNAMIC, NOTICE, LONG, CUSTOM, or "" without a rule
    interval: Interval | None
    origin: str  # where the interval came from, for messages
    dates: list[dt.datetime] = field(default_factory=list)

    @property
    def newest(self) -> dt.datetime | None:
        return self.dates[0] if self.dates else None

    def stale(self, now: dt.datetime) -> bool:
        if self.interval is None or self.interval.never or self.newest is None:
            return False
        # By calendar days: an item of 14 days ago is still "within 2 weeks".
        return self.interval.after(self.newest).date() < now.date()


def kind_words(kind: str) -> str:
    return {
        DYNAMIC: _("news and work-progress (动态/要闻)"),
        NOTICE: _("notice and policy (通知公告/政策文件)"),
        LONG: _("personnel and planning (人事/规划计划)"),
        CUSTOM: _("such"),
    }[kind]


def column_rule(column: Column, config: SiteConfig) -> ColumnRule:
    """The update rule of one column (see the module docstring for the order)."""
    if column.update_every:
        interval = parse_interval(column.update_every)
        return ColumnRule(column, CUSTOM, interval, f"update_every: {column.update_every}")
    labels = (column.column_type, column.title)
    for label in labels:
        for word, every in config.audit.update_rules.items():
            if label and word in label:
                interval = parse_interval(every)
                kind = _kind_of(interval)
                return ColumnRule(column, kind, interval, f"audit.update_rules.{word}: {every}")
    for label in labels:
        for words, kind, every in BUILT_IN:
            if label and any(w in label for w in words):
                return ColumnRule(column, kind, parse_interval(every), every)
    return ColumnRule(column, "", None, "")


def _kind_of(interval: Interval | None) -> str:
    """A configured interval counts with the kind whose built-in interval it does not exceed."""
    if interval is None or interval.never:
        return CUSTOM
    probe = dt.datetime(2000, 1, 1)
    if interval.after(probe) <= parse_interval("2w").after(probe):  # type: ignore[union-attr]
        return DYNAMIC
    if interval.after(probe) <= parse_interval("6m").after(probe):  # type: ignore[union-attr]
        return NOTICE
    return LONG


def age_words(since: dt.datetime, now: dt.datetime) -> str:
    """How long ago, in the words an editor uses: days below two months, else months."""
    days = (now.date() - since.date()).days
    if days < 60:
        return Interval(days, "d").describe() if days else _("0 days")
    return Interval(months_between(since, now), "m").describe()


def column_rules(
    columns: dict[tuple[str, ...], Column], reports: list[Report], config: SiteConfig
) -> list[ColumnRule]:
    """Every column but the root, in the site's order, with the dates of its subtree's reports."""
    rules = []
    for path, column in columns.items():
        if not path:
            continue
        rule = column_rule(column, config)
        rule.dates = sorted(
            (r.date for r in reports if r.column[: len(path)] == path), reverse=True
        )
        rules.append(rule)
    return rules


def _where(column: Column) -> str:
    return column.source or "content/" + "/".join(column.path) + "/_index.md"


def column_findings(rules: list[ColumnRule], now: dt.datetime) -> list[Finding]:
    findings: list[Finding] = []
    stale_short = stale_all = empty = 0
    for rule in rules:
        column = rule.column
        if rule.newest is None:
            empty += 1
            findings.append(
                Finding(
                    POINTS,
                    "empty-column",
                    _("Empty column (空白栏目)"),
                    column.title,
                    _("column 「{title}」 has no published item", title=column.title),
                    _("publish at least one item in it, or remove the column"),
                    where=_where(column),
                )
            )
            continue
        if rule.interval is None:
            findings.append(
                Finding(
                    NOTE,
                    "no-update-rule",
                    _("Column not updated (栏目不更新)"),
                    column.title,
                    _(
                        "column 「{title}」 has no update rule: its type names no known kind",
                        title=column.title,
                    ),
                    _("add update_every: 2w, 6m, 1y or never to its _index.md"),
                    where=_where(column),
                )
            )
            continue
        if not rule.stale(now):
            continue
        stale_all += 1
        if rule.kind in (DYNAMIC, NOTICE):
            stale_short += 1
        newest = rule.newest.date().isoformat()  # type: ignore[union-attr]
        findings.append(
            Finding(
                POINTS,
                "column-stale",
                _("Column not updated (栏目不更新)"),
                column.title,
                _(
                    "column 「{title}」 has not been updated for {age} (newest item {date}); "
                    "{kind} columns must be updated within {interval}",
                    title=column.title,
                    age=age_words(rule.newest, now),  # type: ignore[arg-type]
                    date=newest,
                    kind=kind_words(rule.kind),
                    interval=rule.interval.describe(),
                ),
                _(
                    "publish an item in it, or set update_every in its _index.md ({origin})",
                    origin=rule.origin,
                ),
                since=newest,
                where=_where(column),
            )
        )
    findings += _too_many(
        "columns-stale-short",
        N_("Column not updated (栏目不更新)"),
        stale_short,
        STALE_SHORT_LIMIT,
        N_(
            "{n} news or notice columns are not updated in time ({limit} or more fail "
            "the inspection)"
        ),
        N_("update the columns listed under loses points"),
    )
    findings += _too_many(
        "columns-stale-all",
        N_("Column not updated (栏目不更新)"),
        stale_all,
        STALE_ALL_LIMIT,
        N_("{n} columns that should be updated were not ({limit} or more fail the inspection)"),
        N_("update the columns listed under loses points"),
    )
    findings += _too_many(
        "empty-columns",
        N_("Empty column (空白栏目)"),
        empty,
        EMPTY_LIMIT,
        N_("{n} columns have no item ({limit} or more fail the inspection)"),
        N_("fill or remove the empty columns listed under loses points"),
    )
    return findings


def _too_many(
    rule: str, name: str, count: int, limit: int, message: str, action: str
) -> list[Finding]:
    """The veto for ``count`` columns of a kind when ``limit`` or more fail the inspection
    (none below it). ``name``, ``message`` (with ``{n}`` and ``{limit}``) and ``action`` are
    untranslated texts (``N_``)."""
    if count < limit:
        return []
    return [
        Finding(
            VETO,
            rule,
            _(name),
            _("{n} columns", n=count),
            _(message, n=count, limit=limit),
            _(action),
        )
    ]


def home_finding(
    shown: list[Report], now: dt.datetime, every: Interval, home_title: str
) -> Finding | None:
    """The home page rule: its newest item no older than ``every`` (2 weeks by default)."""
    newest = max((r.date for r in shown), default=None)
    if newest is not None and every.after(newest).date() >= now.date():
        return None
    if newest is None:
        message = _("the home page shows no item")
        since = ""
    else:
        since = newest.date().isoformat()
        message = _(
            "the home page has not been updated for {age} (newest item {date}); it must be "
            "updated within {interval}",
            age=age_words(newest, now),
            date=since,
            interval=every.describe(),
        )
    return Finding(
        VETO,
        "home-stale",
        _("Site not updated (网站不更新)"),
        home_title,
        message,
        _("publish an item in a column the home page shows"),
        since=since,
    )
