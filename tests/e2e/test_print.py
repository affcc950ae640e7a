"""The print stylesheet prints the report alone: no navigation, the QR code kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import REPORT

pytestmark = pytest.mark.e2e

HIDDEN = ["nav.main-nav", "nav.breadcrumb", "footer", ".font-switch", ".reading-tools", "nav.toc"]
SHOWN = ["h1.report-title", ".report-meta", ".report-body", "figure.qr", "figure.qr svg"]


def test_print_shows_the_report_alone(page: Page) -> None:
    page.goto(REPORT)
    # on screen, everything is there
    for selector in HIDDEN + SHOWN:
        expect(page.locator(selector).first, f"{selector} on screen").to_be_visible()
    page.emulate_media(media="print")
    for selector in HIDDEN:
        expect(page.locator(selector).first, f"{selector} in print").to_be_hidden()
    for selector in SHOWN:
        expect(page.locator(selector).first, f"{selector} in print").to_be_visible()
    expect(page.locator(".report-body p").first).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator("nav.main-nav")).to_be_visible()


def test_print_renders_a_pdf(page: Page) -> None:
    page.goto(REPORT)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
