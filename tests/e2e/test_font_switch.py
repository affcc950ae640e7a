"""选择阅读字体 [大 中 小] and 长者模式: computed sizes, aria-pressed, memory, keyboard, no-JS."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .helpers import OTHER_REPORT, REPORT, px

pytestmark = pytest.mark.e2e

BODY_P = ".report-body > p:not(.recipient)"
SIZES = ("large", "medium", "small")


def button(page: Page, size: str):
    return page.locator(f'.font-switch button[data-font="{size}"]')


def expect_pressed(page: Page, size: str) -> None:
    for other in SIZES:
        expect(button(page, other)).to_have_attribute(
            "aria-pressed", "true" if other == size else "false"
        )


def wait_size(page: Page, op: str, value: float) -> float:
    """Wait (Playwright's own waiting) until the body text's size compares to ``value``."""
    page.wait_for_function(
        f"""() => {{
            const s = parseFloat(getComputedStyle(document.querySelector({BODY_P!r})).fontSize);
            return s {op} {value};
        }}"""
    )
    return px(page, BODY_P)


def test_font_switch_grows_text_and_is_remembered(context: BrowserContext, page: Page) -> None:
    page.goto(REPORT)
    html = page.locator("html")
    expect(page.locator(".font-switch")).to_be_visible()
    expect(page.locator(".font-switch")).to_have_attribute("role", "group")
    for size in SIZES:
        expect(button(page, size)).to_be_visible()
        assert button(page, size).evaluate("b => b.tagName") == "BUTTON"
    expect(button(page, "large")).to_have_accessible_name("大号字体")
    expect_pressed(page, "small")
    default = px(page, BODY_P)
    assert default >= 16, f"body text is {default}px, below 16px"
    line_height = px(page, BODY_P, "line-height")
    assert line_height >= 1.8 * default - 0.5, f"line height {line_height}px for {default}px text"

    button(page, "large").click()
    expect(html).to_have_attribute("data-font", "large")
    expect_pressed(page, "large")
    large = wait_size(page, ">", default)
    assert large >= 1.2 * default, f"大 makes the text {large}px from {default}px"
    assert page.evaluate("localStorage.getItem('sitegen-font')") == "large"

    button(page, "medium").click()
    expect(html).to_have_attribute("data-font", "medium")
    expect_pressed(page, "medium")
    medium = wait_size(page, "<", large)
    assert default < medium < large, (default, medium, large)

    button(page, "large").click()
    wait_size(page, ">", medium)

    # a reload keeps the choice, and so does another report page
    page.reload()
    expect(html).to_have_attribute("data-font", "large")
    expect_pressed(page, "large")
    assert px(page, BODY_P) == pytest.approx(large, abs=0.5)

    other = context.new_page()
    other.goto(OTHER_REPORT)
    expect(other.locator("html")).to_have_attribute("data-font", "large")
    expect_pressed(other, "large")
    assert px(other, BODY_P) == pytest.approx(large, abs=0.5)

    # back to 小: the default size again
    button(other, "small").click()
    expect_pressed(other, "small")
    assert wait_size(other, "<", large) == pytest.approx(default, abs=0.5)


def test_font_applied_before_first_paint(new_context: Callable[..., BrowserContext]) -> None:
    """The inline head script alone applies the stored size: site.js is blocked here."""
    context = new_context()
    context.add_init_script("try { localStorage.setItem('sitegen-font', 'large') } catch (e) {}")
    page = context.new_page()
    page.route("**/js/site.js", lambda route: route.abort())
    page.goto(REPORT, wait_until="domcontentloaded")
    assert page.evaluate("document.documentElement.getAttribute('data-font')") == "large"
    assert page.evaluate("document.readyState") != "loading"
    large = px(page, BODY_P)

    plain = new_context().new_page()
    plain.route("**/js/site.js", lambda route: route.abort())
    plain.goto(REPORT, wait_until="domcontentloaded")
    assert plain.evaluate("document.documentElement.getAttribute('data-font')") in (None, "small")
    assert large > px(plain, BODY_P), "the stored size is not applied before site.js runs"


def test_font_switch_by_keyboard_alone(page: Page) -> None:
    page.goto(REPORT)
    default = px(page, BODY_P)
    medium_button = button(page, "medium")
    # Tab from the top of the page until the 中 button has the focus
    for _ in range(120):
        page.keyboard.press("Tab")
        if medium_button.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the 中 button")
    expect(medium_button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("data-font", "medium")
    expect_pressed(page, "medium")
    medium = wait_size(page, ">", default)

    page.keyboard.press("Shift+Tab")
    expect(button(page, "large")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("html")).to_have_attribute("data-font", "large")
    expect_pressed(page, "large")
    wait_size(page, ">", medium)
    assert page.evaluate("localStorage.getItem('sitegen-font')") == "large"


def test_without_javascript_the_report_reads_normally(
    new_context: Callable[..., BrowserContext],
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(REPORT)
    expect(page.locator("h1.report-title")).to_be_visible()
    for size in SIZES:
        expect(button(page, size)).to_be_hidden()
    contrast = page.locator(".contrast-switch")
    assert contrast.is_hidden() or contrast.is_disabled(), "长者模式 looks usable without JS"
    body = page.locator(BODY_P).first
    expect(body).to_be_visible()
    box = body.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 10, box
    assert px(page, BODY_P) >= 16


def test_contrast_switch(context: BrowserContext, page: Page) -> None:
    page.goto(REPORT)
    switch = page.locator(".contrast-switch")
    expect(switch).to_be_visible()
    expect(switch).to_have_attribute("aria-pressed", "false")
    style = """() => [document.body, document.querySelector(".report-body p")].map(el => {
        const s = getComputedStyle(el);
        return [s.color, s.backgroundColor, s.fontSize];
    })"""
    before = page.evaluate(style)
    switch.click()
    expect(page.locator("html")).to_have_attribute("data-contrast", "on")
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("localStorage.getItem('sitegen-contrast')") == "on"
    page.wait_for_function(f"JSON.stringify(({style})()) !== {json.dumps(json.dumps(before))}")
    after = page.evaluate(style)
    assert after != before, f"长者模式 changes neither colours nor size: {after}"

    other = context.new_page()
    other.goto(OTHER_REPORT)
    expect(other.locator("html")).to_have_attribute("data-contrast", "on")
    expect(other.locator(".contrast-switch")).to_have_attribute("aria-pressed", "true")
    other.locator(".contrast-switch").click()
    expect(other.locator("html")).not_to_have_attribute("data-contrast", "on")
    expect(other.locator(".contrast-switch")).to_have_attribute("aria-pressed", "false")
