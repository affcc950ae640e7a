"""Accessibility (无障碍/适老化) without a browser: each built page's ``lang`` and title, alt text
of images, heading order, and the contrast of ``main_color`` with white text; with ``--a11y``,
axe-core in headless Chromium on one page of each kind (see ``axe.py``)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..config import CONFIG_NAME, SiteConfig
from ..contrast import MIN_TEXT_CONTRAST, WHITE, contrast_ratio, shown_ratio
from ..messages import _
from .findings import POINTS, Finding


@dataclass
class PageFacts:
    lang: str = ""
    title: str = ""
    images_without_alt: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.facts.lang = values.get("lang") or ""
        elif tag == "title":
            self._in_title = True
        elif tag == "img" and "alt" not in values:
            self.facts.images_without_alt.append(values.get("src") or "")
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.facts.headings.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.facts.title += data


def page_facts(text: str) -> PageFacts:
    scanner = _Scanner()
    scanner.feed(text)
    return scanner.facts


def heading_skip(levels: list[int]) -> tuple[int, int] | None:
    """The first jump down by more than one level (h2 → h4), as (from, to)."""
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            return before, after
    return None


def static_findings(output: Path, config: SiteConfig) -> list[Finding]:
    name = _("Accessibility (无障碍)")
    findings: list[Finding] = []
    ratio = contrast_ratio(config.main_color, WHITE)
    if ratio < MIN_TEXT_CONTRAST:
        findings.append(
            Finding(
                POINTS,
                "a11y-contrast",
                name,
                "main_color",
                _(
                    "white text on main_color {colour} has a contrast of {ratio}:1, "
                    "below {minimum}:1",
                    colour=config.main_color,
                    ratio=shown_ratio(ratio),
                    minimum=MIN_TEXT_CONTRAST,
                ),
                _("choose a darker main_color, e.g. '#a4161a'"),
                where=CONFIG_NAME,
                line=config.lines.get(("main_color",)),
            )
        )
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        if rel.startswith("_sitegen/"):
            continue
        try:
            facts = page_facts(page.read_bytes().decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
        problems = []
        if not facts.lang:
            problems.append(_("the page does not say its language (<html lang>)"))
        if not facts.title.strip():
            problems.append(_("the page has no title"))
        for src in facts.images_without_alt:
            problems.append(_("image {src} has no alt text", src=src))
        skip = heading_skip(facts.headings)
        if skip:
            problems.append(
                _("heading h{a} is followed by h{b}: a level is skipped", a=skip[0], b=skip[1])
            )
        for problem in problems:
            findings.append(
                Finding(
                    POINTS,
                    "a11y-static",
                    name,
                    rel,
                    problem,
                    _("fix it in the report's text or in the template"),
                )
            )
    return findings
