"""The home page's 图片新闻 carousel in the browser: keyboard, previous/next, the pause
button (WCAG 2.2.2), no auto-advance with reduced motion, the no-JS strip with anchors,
and axe. Time is Playwright's fake clock: nothing waits on the real one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_axe import blocking_violations, describe
from .test_catalogue import features_server, open_context  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e
HOME = "/xxgk/"
SLIDES = [f"图片新闻第{n}条" for n in range(4, 0, -1)]  # newest first


@pytest.fixture
def make_page(browser: Browser, features_server: str) -> Iterator:  # noqa: F811
    contexts = []

    def make(**options: object) -> Page:
        context = open_context(browser, features_server, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def current_dot(page: Page) -> str:
    return page.locator('.carousel-dots a[aria-current="true"]').inner_text()


def test_slides_are_the_newest_picture_news(make_page) -> None:
    page = make_page()
    page.goto(HOME)
    captions = page.locator(".carousel-slide .carousel-caption").evaluate_all(
        "spans => spans.map(s => s.lastChild.textContent)"
    )
    assert captions == SLIDES


def test_it_advances_by_itself_until_paused(make_page) -> None:
    page = make_page()
    page.clock.install()
    page.goto(HOME)
    expect(page.locator(".carousel-controls")).to_be_visible()
    expect(page.locator(".carousel")).to_have_attribute("data-state", "playing")
    assert current_dot(page) == "1"
    page.clock.run_for(6500)
    expect(page.locator('.carousel-dots a[aria-current="true"]')).to_have_text("2")
    pause = page.locator("[data-carousel-pause]")
    expect(pause).to_have_text("暂停轮播")
    pause.focus()
    page.keyboard.press("Enter")  # the keyboard pauses it; focus inside holds it too
    expect(pause).to_have_text("继续轮播")
    expect(page.locator(".carousel")).to_have_attribute("data-state", "paused")
    page.locator("main h1").first.focus()  # focus leaves: still paused
    page.mouse.move(0, 0)
    page.clock.run_for(60_000)
    assert current_dot(page) == "2"
    page.locator("[data-carousel-pause]").click()
    expect(pause).to_have_text("暂停轮播")
    page.locator("main h1").first.focus()
    page.mouse.move(0, 0)
    page.clock.run_for(6500)
    expect(page.locator('.carousel-dots a[aria-current="true"]')).to_have_text("3")


def test_reduced_motion_never_moves_by_itself(make_page) -> None:
    page = make_page(reduced_motion="reduce")
    page.clock.install()
    page.goto(HOME)
    expect(page.locator(".carousel")).to_have_attribute("data-state", "paused")
    page.clock.run_for(60_000)
    assert current_dot(page) == "1"


def test_keyboard_operates_it(make_page) -> None:
    page = make_page(reduced_motion="reduce")
    page.goto(HOME)
    page.locator("[data-carousel-next]").focus()
    page.keyboard.press("Enter")
    expect(page.locator('.carousel-dots a[aria-current="true"]')).to_have_text("2")
    page.keyboard.press("Shift+Tab")  # the previous button
    page.keyboard.press("Enter")
    expect(page.locator('.carousel-dots a[aria-current="true"]')).to_have_text("1")
    first = page.locator(".carousel-slide a").first
    first.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".carousel-slide a").nth(1)).to_be_focused()
    expect(page.locator('.carousel-dots a[aria-current="true"]')).to_have_text("2")
    page.locator(".carousel-dots a").nth(3).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".carousel-slide a").nth(3)).to_be_focused()
    expect(page.locator('.carousel-dots a[aria-current="true"]')).to_have_text("4")


def test_without_javascript_a_strip_with_anchors(make_page) -> None:
    # reduced motion: the strip jumps to an anchor at once (a smooth scroll would still be
    # under way when its position is read)
    page = make_page(java_script_enabled=False, reduced_motion="reduce")
    page.goto(HOME)
    expect(page.locator(".carousel-controls")).to_be_hidden()
    expect(page.locator(".carousel-slide")).to_have_count(len(SLIDES))
    track = page.locator(".carousel-track")
    assert track.evaluate("t => getComputedStyle(t).scrollSnapType").startswith("x")
    assert track.evaluate("t => t.scrollLeft") == 0
    page.locator(".carousel-dots a").nth(2).click()
    assert page.url.endswith("#carousel-slide-3")
    slide = page.locator("#carousel-slide-3")
    expect(slide).to_be_in_viewport()
    # Each slide is the strip's width: the third starts two widths in.
    assert track.evaluate("t => Math.round(t.scrollLeft / t.clientWidth)") == 2


def test_no_serious_axe_violation(make_page) -> None:
    page = make_page()
    page.goto(HOME)
    page.locator("[data-carousel-pause]").click()
    violations = blocking_violations(page)
    assert not violations, f"axe on {HOME}:\n{describe(violations)}"
