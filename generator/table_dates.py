"""Dates in the table cells of a report body kept on one line: ``2021-04-30`` or
``2021年4月30日`` never breaks after a hyphen or between its characters on a phone.

Each such date inside a ``<td>`` or ``<th>`` is wrapped in ``<span class="date">`` (the theme
keeps ``.date`` unbroken, as in the meta line). One pass over the tags, linear in the length
of the HTML whatever the author wrote.
"""

from __future__ import annotations

import re

# A tag: '<' up to the next '>' with no '<' in between (so a stray '<' costs nothing).
TAG = re.compile(r"(<[^<>]*>)")
CELL = re.compile(r"<(/?)t[dh][\s>/]", re.IGNORECASE)
# Not part of a longer number or word (ASCII only: Chinese text may touch a date, 至2021年…).
DATE = re.compile(
    r"(?<![0-9A-Za-z.\-/])(\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)(?![0-9A-Za-z\-/])"
)


def keep_dates_whole(html: str) -> str:
    """``html`` with the dates of its table cells wrapped (unchanged without tables)."""
    first = CELL.search(html) if "<" in html else None
    if first is None or not DATE.search(html, first.start()):
        return html
    # No tag can hold the '<' a cell tag starts with, so the tags before it are the same
    # in the head alone, and none of them is a cell: the head is kept as it is.
    head, html = html[: first.start()], html[first.start() :]
    parts = TAG.split(html)
    depth = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            cell = CELL.match(part)
            if cell:
                depth = max(depth - 1, 0) if cell.group(1) else depth + 1
        elif depth and part:
            parts[i] = DATE.sub(r'<span class="date">\1</span>', part)
    return head + "".join(parts)
