"""扫一扫打开当前页: the QR code, as the browser draws it, decodes to the page's absolute URL."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image, ImageOps
from playwright.sync_api import Page, expect

from .helpers import OTHER_REPORT, REPORT, canonical, ndbg_report

pytestmark = pytest.mark.e2e


def decode_qr(page: Page) -> list[str]:
    figure = page.locator("figure.qr")
    expect(figure).to_be_visible()
    figure.scroll_into_view_if_needed()
    image = Image.open(io.BytesIO(figure.screenshot())).convert("L")
    # a white margin all round, as the page around the figure gives a phone's camera
    image = ImageOps.expand(image, border=16, fill=255)
    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


@pytest.mark.parametrize("which", ["seed", "other", "ndbg"])
def test_qr_code_decodes_to_the_page_url(page: Page, which: str) -> None:
    path = {"seed": REPORT, "other": OTHER_REPORT}.get(which) or ndbg_report(page)
    page.goto(path)
    url = canonical(path)
    expect(page.locator('link[rel="canonical"]')).to_have_attribute("href", url)

    figure = page.locator("figure.qr")
    svg = figure.locator("svg.qr-code")
    expect(svg).to_be_visible()
    expect(svg).to_have_attribute("role", "img")
    expect(svg).to_have_accessible_name(re.compile(r"\S"))
    expect(figure.locator("figcaption")).to_have_text("扫一扫打开当前页")
    box = svg.bounding_box()
    assert box and box["width"] >= 80, f"the QR code is drawn too small to scan: {box}"

    assert decode_qr(page) == [url]
