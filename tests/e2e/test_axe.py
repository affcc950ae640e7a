"""axe-core finds no serious or critical accessibility violation on any page type."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .helpers import MISSING, PAGES, REPORT

pytestmark = pytest.mark.e2e

AXE = Axe()
BLOCKING = {"serious", "critical"}


def blocking_violations(page: Page) -> list[dict]:
    results = AXE.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + summary.replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_axe_violation(page: Page, kind: str) -> None:
    response = page.goto(PAGES[kind])
    assert response is not None
    assert response.status == (404 if PAGES[kind] == MISSING else 200)
    expect(page.locator("main h1")).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, f"axe on {PAGES[kind]}:\n{describe(violations)}"


@pytest.mark.parametrize("mode", ["large-font", "elder-mode"])
def test_no_serious_axe_violation_in_reading_modes(page: Page, mode: str) -> None:
    page.goto(REPORT)
    if mode == "large-font":
        page.locator('.font-switch button[data-font="large"]').click()
        expect(page.locator("html")).to_have_attribute("data-font", "large")
    else:
        page.locator(".contrast-switch").click()
        expect(page.locator("html")).to_have_attribute("data-contrast", "on")
    violations = blocking_violations(page)
    assert not violations, f"axe on {REPORT} ({mode}):\n{describe(violations)}"
