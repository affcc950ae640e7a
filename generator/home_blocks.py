"""Which reports each column block of the home page shows, so that no report is shown twice.

The home page has a block for each navigation column. A column whose sub-column (at any
depth) has a block of its own leaves that sub-column's reports to it: its block shows the
latest of the rest (its own reports and those of sub-columns without a block), and it is left
out when nothing is left. A column without blocks below it shows its latest reports (or says
it has none). Pure: the same rule for any column tree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .content import Column, Report


def home_blocks(
    nav: Sequence[Column], under: Callable[[Column], list[Report]], per_block: int
) -> list[tuple[Column, list[Report]]]:
    """``(column, latest reports)`` for each block, in navigation order.

    ``under(column)`` gives the reports of a column and all its sub-columns, newest first.
    """
    paths = [column.path for column in nav]
    blocks: list[tuple[Column, list[Report]]] = []
    for column in nav:
        depth = len(column.path)
        below = [p for p in paths if len(p) > depth and p[:depth] == column.path]
        if not below:
            blocks.append((column, under(column)[:per_block]))
            continue
        rest = [r for r in under(column) if not any(r.column[: len(p)] == p for p in below)]
        if rest:
            blocks.append((column, rest[:per_block]))
    return blocks
