"""At a phone's 375 px the pages never scroll sideways and the column navigation is usable."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .helpers import NDBG_COLUMN, PAGES, local_path, ndbg_report

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(viewport=PHONE, has_touch=True).new_page()


def overflow(page: Page) -> str:
    """Empty when the document fits the viewport; else the widest offenders."""
    return page.evaluate(
        """() => {
            const root = document.documentElement, vw = window.innerWidth;
            if (root.scrollWidth <= vw) return "";
            const wide = [...document.body.querySelectorAll("*")]
                .filter(el => el.getBoundingClientRect().right > vw + 0.5)
                .slice(0, 8)
                .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
                    + `right=${Math.round(el.getBoundingClientRect().right)}`);
            return `scrollWidth ${root.scrollWidth} > innerWidth ${vw}: ${wide.join("; ")}`;
        }"""
    )


@pytest.mark.parametrize("kind", ["home", "column", "year", "report", "series", "sitemap", "404"])
def test_no_sideways_scroll_at_375(phone: Page, kind: str) -> None:
    phone.goto(PAGES[kind])
    assert phone.evaluate("window.innerWidth") == PHONE["width"]
    assert not overflow(phone), overflow(phone)


def test_wide_tables_scroll_inside_their_box_at_375(phone: Page) -> None:
    path = ndbg_report(phone)
    phone.goto(path)
    tables = phone.locator(".report-body table")
    assert tables.count() > 0, f"{path} has no table"
    assert not overflow(phone), overflow(phone)
    for i in range(tables.count()):
        table = tables.nth(i)
        wide = table.evaluate("t => t.scrollWidth > t.parentElement.clientWidth + 1")
        if wide:
            scrolls = table.evaluate(
                """t => { for (let el = t.parentElement; el && el !== document.body;
                              el = el.parentElement) {
                    const o = getComputedStyle(el).overflowX;
                    if (o === "auto" || o === "scroll") return true;
                  } return false; }"""
            )
            assert scrolls, f"table {i} of {path} is wider than its box but cannot be scrolled"
    assert local_path(phone).startswith(NDBG_COLUMN)


def test_column_navigation_usable_on_a_phone(phone: Page) -> None:
    phone.goto(PAGES["home"])
    links = phone.locator("nav.main-nav a")
    count = links.count()
    assert count >= 6, f"nav.main-nav has {count} links"
    if not all(links.nth(i).is_visible() for i in range(count)):
        # a menu button opens the navigation
        toggle = phone.locator(
            "button[aria-controls], button[aria-expanded], .nav-toggle, .menu-toggle"
        ).first
        expect(toggle).to_be_visible()
        toggle.click()
    for i in range(count):
        link = links.nth(i)
        link.scroll_into_view_if_needed()
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box and box["x"] >= -0.5 and box["x"] + box["width"] <= PHONE["width"] + 0.5, (
            f"nav link {i} ({link.inner_text()}) is outside the screen: {box}"
        )
        assert box["height"] >= 24, f"nav link {i} is a {box['height']}px tall tap target"
        link.click(trial=True)  # visible, stable and not covered by anything
    last = links.nth(count - 1)
    name = last.inner_text().strip()
    last.click()
    expect(phone).to_have_url(re.compile(r"/xxgk/zwgk/zcwj/$"))
    expect(phone.locator("main h1")).to_have_text(name)
    assert not overflow(phone), overflow(phone)
