"""Contrast of colours (WCAG 2.x relative luminance) and the check of the site's main colour.

White text sits on the main colour (the navigation bar, buttons, the current year): below
4.5:1 it is hard to read (WCAG 1.4.3), so the configuration warns with the ratio.
"""

from __future__ import annotations

import math
from pathlib import Path

from .errors import Diagnostics
from .messages import _

WHITE = "#ffffff"
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.1 1.4.3, text of normal size
DARKER_EXAMPLE = "#a4161a"  # the default main colour


def relative_luminance(color: str) -> float:
    """The relative luminance of ``#rrggbb`` (0 for black, 1 for white), as WCAG defines it."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(a: str, b: str) -> float:
    """(lighter + 0.05) / (darker + 0.05): from 1 (the same) to 21 (black on white)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def shown_ratio(ratio: float) -> str:
    """Two decimals, cut (never rounded up): 4.478 is 4.47, so a failing ratio never shows
    as 4.50."""
    return f"{math.floor(ratio * 100) / 100:.2f}"


def check_main_color(color: str, path: str | Path, line: int | None, diag: Diagnostics) -> None:
    """Warn when white text on ``color`` has less than 4.5:1 contrast."""
    ratio = contrast_ratio(color, WHITE)
    if ratio >= MIN_TEXT_CONTRAST:
        return
    diag.warn(
        path,
        _(
            "main_color {color} gives white text a contrast of only {ratio}:1, below the "
            "4.5:1 that WCAG asks for (the navigation bar and buttons put white text on it)",
            color=color,
            ratio=shown_ratio(ratio),
        ),
        line,
        _(
            "choose a darker colour, e.g. '{example}' ({example_ratio}:1)",
            example=DARKER_EXAMPLE,
            example_ratio=shown_ratio(contrast_ratio(DARKER_EXAMPLE, WHITE)),
        ),
    )
