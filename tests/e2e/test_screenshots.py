"""Full-page screenshots of every page type, desktop and phone, in screenshots/ (git-ignored).

The first screen of the desktop report page also goes to screenshots/report-page.png (the full
page is some 6000 px tall, too long for the README): copy it to docs/report-page.png to refresh
the README's picture. Tests never write into tracked files.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, expect

from .helpers import PAGES, ROOT

pytestmark = pytest.mark.e2e

SHOTS = ROOT / "screenshots"
README_SHOT = SHOTS / "report-page.png"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}
README_HEIGHT = 1000
KINDS = ["home", "column", "year", "report", "series", "404"]


@pytest.mark.parametrize("device", list(VIEWPORTS))
@pytest.mark.parametrize("kind", KINDS)
def test_screenshot(new_context: Callable[..., BrowserContext], kind: str, device: str) -> None:
    viewport = VIEWPORTS[device]
    page = new_context(viewport=viewport).new_page()
    page.goto(PAGES[kind])
    expect(page.locator("main h1")).to_be_visible()
    page.evaluate("document.fonts.ready.then(() => true)")
    SHOTS.mkdir(exist_ok=True)
    target = SHOTS / f"{kind}-{device}.png"
    page.screenshot(path=str(target), full_page=True)
    with Image.open(target) as image:
        assert image.width == viewport["width"], image.size
        assert image.height >= viewport["height"] * 0.5, image.size
        if kind == "report" and device == "desktop":
            first_screen = image.crop((0, 0, image.width, min(image.height, README_HEIGHT)))
            first_screen.save(README_SHOT, optimize=True)
