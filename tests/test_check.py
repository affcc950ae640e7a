"""`sitegen check` on small built sites: a clean site passes; each kind of defect is reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitegen_testkit import build_into, column_md, report_md, run_cli

import generator.check
import generator.linkprobe

REPORT_PAGE = "news/2020/a/index.html"


def small_site(make_site, body: str = "正文内容。\n") -> Path:
    return make_site(
        {
            "content/news/_index.md": column_md("新闻", weight=1),
            "content/news/a.md": report_md("报告一", "2020-12-23", body),
            "content/news/b.md": report_md("报告二", "2021-03-01", "第二篇正文。\n"),
        }
    )


def built(make_site, body: str = "正文内容。\n") -> tuple[Path, Path]:
    source = small_site(make_site, body)
    output = source.parent / "out"
    build_into(source, output)
    assert (output / REPORT_PAGE).is_file()
    return source, output


def check(source: Path, output: Path):
    return run_cli("check", output, "--source", source)


def problem_lines(stdout: str) -> list[str]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    for line in lines:
        assert re.match(r"^\S+: .+ \(.+\)$", line), line
    return lines


def test_fresh_site_passes(make_site):
    source, output = built(make_site)
    result = check(source, output)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip() == ""
    assert "0 problem(s)" in result.stderr


def test_broken_internal_link_in_body(make_site):
    source, output = built(make_site, "见[缺失的页面](../../missing/)。\n")
    result = check(source, output)
    assert result.exit_code == 1
    lines = problem_lines(result.stdout)
    assert f"{REPORT_PAGE}: ../../missing/ (no such file)" in lines
    assert all(line.startswith(REPORT_PAGE) for line in lines), lines


def test_missing_fragment(make_site):
    source, output = built(make_site, "见[第三节](#no-such-section)。\n")
    result = check(source, output)
    assert result.exit_code == 1
    lines = problem_lines(result.stdout)
    assert lines == [f"{REPORT_PAGE}: #no-such-section (no element with id 'no-such-section')"]


def test_existing_fragment_passes(make_site):
    source, output = built(make_site, "## 第一节\n\n正文。\n\n见[正文](#report-body)。\n")
    result = check(source, output)
    assert result.exit_code == 0, result.stdout


def test_deleted_asset(make_site):
    source, output = built(make_site)
    css = sorted((output / "css").glob("*.css"))
    assert css
    site_css = output / "css" / "site.css"
    assert site_css.is_file()
    site_css.unlink()
    result = check(source, output)
    assert result.exit_code == 1
    lines = problem_lines(result.stdout)
    assert lines
    for line in lines:
        assert "site.css (no such file)" in line, line
    pages = {line.split(": ", 1)[0] for line in lines}
    assert {"index.html", REPORT_PAGE, "404.html"} <= pages


def test_page_without_title(make_site):
    source, output = built(make_site)
    page = output / REPORT_PAGE
    html = page.read_text(encoding="utf-8")
    stripped = re.sub(r"<title>.*?</title>", "", html, flags=re.S)
    assert stripped != html
    page.write_text(stripped, encoding="utf-8")
    result = check(source, output)
    assert result.exit_code == 1
    assert problem_lines(result.stdout) == [f"{REPORT_PAGE}: <title> (missing or empty)"]


def test_asset_from_another_origin(make_site):
    body = '正文。\n\n<img src="https://cdn.example.com/x.png" alt="图">\n'
    source, output = built(make_site, body)
    assert "https://cdn.example.com/x.png" in (output / REPORT_PAGE).read_text(encoding="utf-8")
    result = check(source, output)
    assert result.exit_code == 1
    assert problem_lines(result.stdout) == [
        f"{REPORT_PAGE}: https://cdn.example.com/x.png (asset loaded from another origin)"
    ]


def test_external_links_not_checked_by_default(make_site, monkeypatch: pytest.MonkeyPatch):
    def no_network(*args, **kwargs):
        raise AssertionError("check touched the network without --external")

    monkeypatch.setattr(generator.check, "probe_all", no_network)
    monkeypatch.setattr(generator.linkprobe.urllib.request, "urlopen", no_network)
    source, output = built(make_site, "见[外部网站](https://unreachable.invalid/page)。\n")
    result = check(source, output)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.strip() == ""


def test_external_flag_reports_failing_outbound_links(make_site, monkeypatch: pytest.MonkeyPatch):
    probed: list[str] = []

    def fake_probe(urls: list[str], timeout: float) -> dict[str, str]:
        probed.extend(urls)
        return dict.fromkeys(urls, "HTTP 404")

    monkeypatch.setattr(generator.check, "probe_all", fake_probe)
    source, output = built(make_site, "见[外部网站](https://unreachable.invalid/page)。\n")
    result = run_cli("check", output, "--source", source, "--external")
    assert result.exit_code == 1
    assert "https://unreachable.invalid/page" in probed
    assert "https://unreachable.invalid/page (HTTP 404)" in result.stdout.splitlines()
