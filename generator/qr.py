"""QR codes of page URLs as inline SVG (扫一扫打开当前页), cached by URL."""

from __future__ import annotations

import html

import segno


def qr_svg(url: str, label: str) -> str:
    """An accessible inline SVG QR code encoding ``url`` exactly."""
    # A fixed mask: any mask decodes, and scoring all eight costs ten times the encoding.
    code = segno.make(url, error="m", micro=False, mask=0)
    svg = code.svg_inline(
        scale=1,
        border=4,  # the quiet zone the QR standard asks for
        dark="#000",
        light="#fff",
        svgclass="qr-code",
        lineclass=None,
        omitsize=True,
        title=label,
    )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1)


class QrCache:
    """Remembers the SVG of each URL; `entries` can be saved by the build cache."""

    def __init__(self, entries: dict[str, str] | None = None):
        self.entries: dict[str, str] = dict(entries or {})

    def get(self, url: str, label: str) -> str:
        key = f"{url}\n{label}"
        svg = self.entries.get(key)
        if svg is None:
            svg = self.entries[key] = qr_svg(url, label)
        return svg
