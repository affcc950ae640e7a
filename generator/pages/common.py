"""Pieces several page kinds share: breadcrumbs, pagination, groups of reports by column."""

from __future__ import annotations

from collections import defaultdict

from ..content import Column, Report
from .model import Crumb, Group, Paginator, Shared


def crumbs(column: Column | None, site_title: str) -> Shared:
    """The trail to a column's pages (one Shared: its pages share its text for their keys)."""
    result = [Crumb(site_title, "/")]
    if column is not None and column.path:
        result += [Crumb(c.title, c.url) for c in [*column.ancestors, column]]
    return Shared(result)


def paginate(url: str, items: list[Report], per_page: int) -> list[tuple[Paginator, list[Report]]]:
    count = max(1, -(-len(items) // per_page))
    urls = Shared(url if n == 1 else f"{url}page/{n}/" for n in range(1, count + 1))
    return [
        (Paginator(n, count, urls), items[(n - 1) * per_page : n * per_page])
        for n in range(1, count + 1)
    ]


def groups(columns: dict[tuple[str, ...], Column], reports: list[Report]) -> list[Group]:
    """The reports in groups by column, in the order of the column tree."""
    by_column: dict[tuple[str, ...], list[Report]] = defaultdict(list)
    for report in reports:
        by_column[report.column].append(report)
    order = sorted(by_column, key=lambda p: column_order(columns, p))
    return [Group(columns[p], by_column[p]) for p in order]


def column_order(columns: dict[tuple[str, ...], Column], path: tuple[str, ...]) -> tuple:
    keys = []
    for n in range(1, len(path) + 1):
        column = columns[path[:n]]
        keys.append((column.weight, column.path[-1]))
    return tuple(keys)


def by_year(reports: list[Report]) -> dict[int, list[Report]]:
    result: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        result[report.date.year].append(report)
    return result
