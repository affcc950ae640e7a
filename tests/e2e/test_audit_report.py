"""The audit's HTML report in the browser (axe, a timeline drawn for each column), and
``sitegen audit --a11y`` finding what axe finds on a built page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser
from sitegen_testkit import copy_sample, run_sitegen

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}


def test_html_report_passes_axe_and_draws_every_column(tmp_path: Path, browser: Browser) -> None:
    source = copy_sample(tmp_path / "site")
    out = tmp_path / "audit.html"
    done = run_sitegen("audit", "-s", source, "--date", "2022-09-20", "--format", "html", "-o", out)
    assert done.returncode == 1, done.stderr
    listed = run_sitegen("audit", "-s", source, "--date", "2022-09-20", "--format", "json")
    columns = json.loads(listed.stdout)["columns"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(out.as_uri())
    violations = [v for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]
    assert not violations, [v["id"] for v in violations]
    timelines = page.locator("svg.timeline")
    assert timelines.count() == len(columns)
    for i in range(timelines.count()):
        svg = timelines.nth(i)
        box = svg.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 30
        dots = svg.locator("circle.dot")
        assert dots.count() == int(svg.get_attribute("data-dots") or 0)
        for j in range(dots.count()):
            assert dots.nth(j).is_visible()
    # The window of the allowed gap is drawn for every column that has a rule.
    with_rule = sum(1 for c in columns if c["update_every"] not in (None, "never"))
    assert page.locator("svg.timeline rect.allowed, svg.timeline rect.late").count() == with_rule
    assert requests == [out.as_uri()]  # self-contained: nothing else is loaded
    context.close()


def test_a11y_option_reports_what_axe_finds(tmp_path: Path) -> None:
    source = copy_sample(tmp_path / "site")
    built = tmp_path / "built"
    done = run_sitegen("build", "-s", source, "-o", built, "--quiet")
    assert done.returncode == 0, done.stderr
    args = ("audit", "-s", source, "--date", "2022-09-20", "--format", "json", "--built", built)
    clean = json.loads(run_sitegen(*args, "--a11y").stdout)
    assert [f for f in clean["findings"] if f["rule"] == "a11y-axe"] == []
    home = built / "index.html"
    html = home.read_text(encoding="utf-8")
    home.write_text(html.replace("</main>", '<img src="x.png"></main>', 1), encoding="utf-8")
    found = json.loads(run_sitegen(*args, "--a11y").stdout)
    axe = [
        (f["subject"], f["message"].split(": ")[1])
        for f in found["findings"]
        if f["rule"] == "a11y-axe"
    ]
    assert axe == [("index.html", "image-alt")]
