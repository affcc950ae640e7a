"""A reader finds a report by clicking down from the home page and climbs back by the breadcrumb."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import COLUMN, HOME, PARENT_COLUMN, REPORT, REPORT_TITLE, local_path

pytestmark = pytest.mark.e2e


def in_viewport(page: Page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        """el => {
            const r = el.getBoundingClientRect();
            return r.width >= 1 && r.height >= 1 && r.left >= 0 && r.top >= 0
                && r.right <= window.innerWidth && r.bottom <= window.innerHeight;
        }"""
    )


def test_home_column_year_report_and_back_by_breadcrumb(page: Page) -> None:
    page.goto(HOME)
    expect(page.locator("h1")).to_have_count(1)

    # home → a top column (新闻中心), from its block on the home page
    page.locator(".home-grid .block h2 a", has_text="新闻中心").click()
    expect(page).to_have_url(re.compile(re.escape(PARENT_COLUMN) + "$"))
    expect(page.locator("main h1")).to_have_text("新闻中心")
    crumbs = page.locator("nav.breadcrumb ol li")
    expect(crumbs.first.locator("a")).to_have_text("首页")
    expect(page.locator('nav.breadcrumb a[aria-current="page"]')).to_have_text("新闻中心")

    # column → one of its years
    page.locator(".years-nav a", has_text="2020").click()
    expect(page).to_have_url(re.compile(re.escape(PARENT_COLUMN + "2020/") + "$"))
    expect(page.locator("main h1")).to_contain_text("2020")
    expect(page.locator(".year-group").first).to_be_visible()

    # year → the report
    page.locator(".year-group .report-list a", has_text=REPORT_TITLE).click()
    expect(page).to_have_url(re.compile(re.escape(REPORT) + "$"))
    expect(page.locator("h1.report-title")).to_have_text(REPORT_TITLE)
    expect(page).to_have_title(re.compile("^" + re.escape(REPORT_TITLE)))

    breadcrumb = page.locator("nav.breadcrumb")
    expect(breadcrumb).to_have_attribute("aria-label", re.compile(r"\S"))
    expect(crumbs.first).to_have_text(re.compile("首页"))
    expect(crumbs.last.locator('[aria-current="page"]')).to_have_text("正文")
    expect(breadcrumb.locator("a")).to_have_text(["首页", "新闻中心", "公示公告"])

    # back up: the report's column (公示公告) ...
    breadcrumb.get_by_role("link", name="公示公告", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(COLUMN) + "$"))
    expect(page.locator("main h1")).to_have_text("公示公告")
    expect(page.locator('nav.breadcrumb a[aria-current="page"]')).to_have_text("公示公告")
    expect(page.locator(".report-list li a").first).to_be_visible()

    # ... then home
    page.locator("nav.breadcrumb").get_by_role("link", name="首页", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(HOME) + "$"))
    assert local_path(page) == HOME
    expect(page.locator("h1.home-title")).to_be_visible()
    expect(page.locator("nav.breadcrumb")).to_have_count(0)


def test_column_pagination_and_year_links(page: Page) -> None:
    page.goto(COLUMN)
    first_titles = page.locator(".report-list li a").all_text_contents()
    assert first_titles, "the column page lists no report"
    page.locator('.pagination a[rel="next"]').click()
    expect(page).to_have_url(re.compile(re.escape(COLUMN + "page/2/") + "$"))
    expect(page.locator('.pagination a[rel="prev"]')).to_be_visible()
    second_titles = page.locator(".report-list li a").all_text_contents()
    assert second_titles and not set(first_titles) & set(second_titles)

    page.locator(".years-nav a", has_text="2020").click()
    expect(page).to_have_url(re.compile(re.escape(COLUMN + "2020/") + "$"))
    expect(page.locator(".year-group .report-list a", has_text=REPORT_TITLE)).to_be_visible()


def test_skip_link_is_first_and_visible_when_focused(page: Page) -> None:
    page.goto(HOME)
    skip = page.locator("a.skip-link")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert in_viewport(page, "a.skip-link"), "the focused skip link is off screen or clipped"
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_report_page_has_its_parts(page: Page) -> None:
    page.goto(REPORT)
    for selector in (
        "h1.report-title",
        ".report-meta",
        ".report-body p",
        "nav.toc",
        "figure.qr",
        ".page-tools",
        ".prev-next",
        ".series-years",
    ):
        expect(page.locator(selector).first, selector).to_be_visible()
    # the table of contents jumps to its heading
    entry = page.locator("nav.toc a").nth(1)
    target = entry.get_attribute("href")
    assert target and target.startswith("#")
    entry.click()
    expect(page.locator(f'[id="{target[1:]}"]')).to_be_in_viewport()
