"""Every page loads whole from the site itself: no external request, no broken asset, no JS error."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page

from .helpers import PAGES

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_loads_only_its_own_assets(context: BrowserContext, page: Page, kind: str) -> None:
    page.goto(PAGES[kind], wait_until="networkidle")
    traffic = context.traffic  # type: ignore[attr-defined]
    assert not traffic.external, f"external requests: {traffic.external}"
    assert not traffic.failed, f"failed requests: {traffic.failed}"
    assert not traffic.errors, f"script errors: {traffic.errors}"
    sheets = page.evaluate("[...document.styleSheets].filter(s => s.href).length")
    assert sheets >= 1, "no stylesheet loaded"


def test_external_requests_are_caught(context: BrowserContext, page: Page) -> None:
    """The guard above works: a request leaving the local server is recorded (and blocked)."""
    page.goto(PAGES["home"])
    page.evaluate(
        """() => new Promise(done => {
            const img = new Image();
            img.onload = img.onerror = done;
            img.src = "https://www.example.gov.cn/xxgk/logo.png";
        })"""
    )
    traffic = context.traffic  # type: ignore[attr-defined]
    assert traffic.external == ["https://www.example.gov.cn/xxgk/logo.png"]
