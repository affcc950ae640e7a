"""`sitegen audit`: sites with known dates, one case per rule, each asserting the exact findings
(rule, subject, since) and the exit status; the text, JSON and HTML forms."""

from __future__ import annotations

import datetime as dt
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitegen_testkit import build_into, column_md, http_server, report_md, run_cli, write_site

from generator.audit.findings import POINTS, VETO, Finding, exit_status
from generator.intervals import Interval, parse_interval
from generator.linkprobe import probe

DAY = dt.date(2026, 12, 1)  # the day of every check here
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
BASICS = """\
title: 测试县人民政府
base_url: https://www.example.gov.cn/
site_id_code: '3207240001'
search: false
footer:
  sponsor: 测试县人民政府办公室
  phone: 0518-12345678
  icp: 苏ICP备05005881号
  police_record: 苏公网安备32072402000123号
  dzjg_image: images/dzjg.png
  dzjg_link: https://bszs.conac.cn/sitename?method=show&id=1
  error_report_url: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3207240001
"""


def ago(days: int) -> str:
    return (DAY - dt.timedelta(days=days)).isoformat()


def site(tmp_path: Path, files: dict[str, str | bytes], config: str = BASICS) -> Path:
    """A site whose basic information is complete, with the given columns and reports."""
    return write_site(tmp_path / "site", {"static/images/dzjg.png": PNG, **files}, config)


def fresh_columns() -> dict[str, str]:
    """Three columns of the three kinds, each updated in time."""
    return {
        "content/ywdt/_index.md": column_md("要闻动态", 1),
        "content/ywdt/a.md": report_md("县政府召开常务会议", ago(3)),
        "content/tzgg/_index.md": column_md("通知公告", 2),
        "content/tzgg/b.md": report_md("关于调整办公时间的通知", ago(100)),
        "content/rsxx/_index.md": column_md("人事信息", 3),
        "content/rsxx/c.md": report_md("干部任前公示", ago(300)),
    }


def audit(source: Path, *args: str) -> tuple[int, dict]:
    result = run_cli(
        "audit", "--source", source, "--date", DAY.isoformat(), "--format", "json", *args
    )
    return result.exit_code, json.loads(result.stdout)


def found(data: dict) -> set[tuple[str, str, str, str]]:
    return {(f["severity"], f["rule"], f["subject"], f["since"]) for f in data["findings"]}


def test_a_site_kept_up_to_date_has_no_finding(tmp_path: Path) -> None:
    code, data = audit(site(tmp_path, fresh_columns()))
    assert data["findings"] == []
    assert data["counts"] == {"veto": 0, "points": 0, "note": 0}
    assert code == 0
    kinds = {c["title"]: (c["kind"], c["update_every"], c["stale"]) for c in data["columns"]}
    assert kinds == {
        "要闻动态": ("dynamic", "2w", False),
        "通知公告": ("notice", "6m", False),
        "人事信息": ("long", "1y", False),
    }


@pytest.mark.parametrize(
    ("column", "days", "stale"),
    [
        ("ywdt", 14, False),  # 2 weeks to the day: still in time
        ("ywdt", 15, True),
        ("tzgg", 183, False),  # 2026-06-01 + 6 months = 2026-12-01
        ("tzgg", 184, True),
        ("rsxx", 365, False),
        ("rsxx", 366, True),
    ],
)
def test_each_kind_of_column_is_late_exactly_after_its_interval(
    tmp_path: Path, column: str, days: int, stale: bool
) -> None:
    files = fresh_columns()
    name = {"ywdt": "a", "tzgg": "b", "rsxx": "c"}[column]
    files[f"content/{column}/{name}.md"] = report_md("旧信息", ago(days))
    files["content/ywdt/fresh.md"] = report_md("首页保持更新", ago(1))  # the home page stays fresh
    if column == "ywdt":
        del files["content/ywdt/fresh.md"]
        files["content/tzgg/fresh.md"] = report_md("首页保持更新", ago(1))
    code, data = audit(site(tmp_path, files))
    title = {"ywdt": "要闻动态", "tzgg": "通知公告", "rsxx": "人事信息"}[column]
    expected = {(POINTS, "column-stale", title, ago(days))} if stale else set()
    assert found(data) == expected
    assert code == (1 if stale else 0)


def test_the_message_says_how_long_since_when_and_the_rule(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/tzgg/b.md"] = report_md("关于调整办公时间的通知", "2026-04-30")
    _code, data = audit(site(tmp_path, files))
    (finding,) = data["findings"]
    assert finding["message"] == (
        "column 「通知公告」 has not been updated for 7 months (newest item 2026-04-30); "
        "notice and policy (通知公告/政策文件) columns must be updated within 6 months"
    )
    assert finding["where"] == "content/tzgg/_index.md"


def test_a_stale_home_page_fails_the_inspection(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/ywdt/a.md"] = report_md("旧要闻", ago(20))
    code, data = audit(site(tmp_path, files))
    assert found(data) == {
        (VETO, "home-stale", "home page", ago(20)),
        (POINTS, "column-stale", "要闻动态", ago(20)),
    }
    assert code == 2


def test_five_late_news_or_notice_columns_fail_the_inspection(tmp_path: Path) -> None:
    files = fresh_columns()
    late = {f"dt{i}": f"部门动态{i}" for i in range(3)} | {
        f"gg{i}": f"公示公告{i}" for i in range(2)
    }
    for i, (key, title) in enumerate(late.items()):
        files[f"content/{key}/_index.md"] = column_md(title, 10 + i)
        files[f"content/{key}/x.md"] = report_md("旧信息", ago(400))
    code, data = audit(site(tmp_path, files))
    assert found(data) == {(POINTS, "column-stale", t, ago(400)) for t in late.values()} | {
        (VETO, "columns-stale-short", "5 columns", "")
    }
    assert code == 2


def test_four_late_columns_only_lose_points(tmp_path: Path) -> None:
    files = fresh_columns()
    for i in range(4):
        files[f"content/dt{i}/_index.md"] = column_md(f"部门动态{i}", 10 + i)
        files[f"content/dt{i}/x.md"] = report_md("旧信息", ago(30))
    code, data = audit(site(tmp_path, files))
    assert {f["rule"] for f in data["findings"]} == {"column-stale"}
    assert code == 1


def test_ten_late_columns_of_any_kind_fail_the_inspection(tmp_path: Path) -> None:
    files = fresh_columns()
    for i in range(10):
        files[f"content/gh{i}/_index.md"] = column_md(f"规划计划{i}", 10 + i)
        files[f"content/gh{i}/x.md"] = report_md("旧规划", ago(500))
    _code, data = audit(site(tmp_path, files))
    vetoes = {(f["rule"], f["subject"]) for f in data["findings"] if f["severity"] == VETO}
    assert vetoes == {("columns-stale-all", "10 columns")}


def test_empty_columns_drafts_and_future_items_do_not_count(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/ldxx/_index.md"] = column_md("领导动态", 9)
    files["content/ldxx/draft.md"] = report_md("草稿", ago(1), draft=True)
    files["content/ldxx/later.md"] = report_md("明天发布", (DAY + dt.timedelta(days=2)).isoformat())
    code, data = audit(site(tmp_path, files))
    assert found(data) == {(POINTS, "empty-column", "领导动态", "")}
    assert code == 1


def test_five_empty_columns_fail_the_inspection(tmp_path: Path) -> None:
    files = fresh_columns()
    for i in range(5):
        files[f"content/k{i}/_index.md"] = column_md(f"工作动态{i}", 10 + i)
    code, data = audit(site(tmp_path, files))
    assert found(data) == {(POINTS, "empty-column", f"工作动态{i}", "") for i in range(5)} | {
        (VETO, "empty-columns", "5 columns", "")
    }
    assert code == 2


def test_update_every_and_configured_rules_override_the_built_in_kinds(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/lsyg/_index.md"] = (
        "---\ntitle: 历史沿革动态\nweight: 8\nupdate_every: never\n---\n"
    )
    files["content/lsyg/old.md"] = report_md("建县史", "2001-01-01")
    files["content/zdly/_index.md"] = "---\ntitle: 重点领域\nweight: 9\nupdate_every: 1m\n---\n"
    files["content/zdly/x.md"] = report_md("重点领域信息", ago(40))
    config = BASICS + "audit:\n  update_rules:\n    人事: 6m\n"
    code, data = audit(site(tmp_path, files, config))
    # 人事信息 is 300 days old: late under the configured 6 months, not under the built-in year.
    assert found(data) == {
        (POINTS, "column-stale", "重点领域", ago(40)),
        (POINTS, "column-stale", "人事信息", ago(300)),
    }
    origins = {c["title"]: c["origin"] for c in data["columns"]}
    assert origins["历史沿革动态"] == "update_every: never"
    assert origins["人事信息"] == "audit.update_rules.人事: 6m"
    assert code == 1


def test_a_column_of_no_known_kind_gets_a_note_only(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/ldjs/_index.md"] = column_md("领导之窗", 9)
    files["content/ldjs/x.md"] = report_md("县长简介", "2019-01-01")
    code, data = audit(site(tmp_path, files))
    assert found(data) == {("note", "no-update-rule", "领导之窗", "")}
    assert code == 0


def test_a_wrong_update_every_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/ywdt/_index.md"] = "---\ntitle: 要闻动态\nupdate_every: 两周\n---\n"
    source = site(tmp_path, files)
    result = run_cli("build", "--source", source)
    assert result.exit_code == 1
    assert (
        "content/ywdt/_index.md:3: 'update_every': '两周' is not an interval such as 2w, 6m, 1y "
        "or never (e.g. update_every: 6m)" in result.stderr
    )
    code, data = audit(source)
    assert found(data) == {(VETO, "site-build", "content/ywdt/_index.md", "")}
    assert code == 2


def test_a_wrong_audit_setting_is_an_error_with_its_line(tmp_path: Path) -> None:
    config = BASICS + "audit:\n  home_every: soon\n"
    result = run_cli("build", "--source", site(tmp_path, fresh_columns(), config))
    assert result.exit_code == 1
    line = config.splitlines().index("  home_every: soon") + 1
    assert f"sitegen.yaml:{line}: 'audit.home_every'" in result.stderr


def test_missing_and_malformed_basic_information(tmp_path: Path) -> None:
    config = """\
title: 测试县人民政府
base_url: https://www.example.gov.cn/
site_id_code: '32072400'
search: false
footer:
  icp: 苏ICP备05005881
  police_record: 苏公网安备3207240200012号
"""
    code, data = audit(site(tmp_path, fresh_columns(), config))
    subjects = {(f["subject"], f["message"], f["line"]) for f in data["findings"]}
    assert subjects == {
        ("site identification code (网站标识码)", "'32072400' is not 10 letters or digits", 3),
        ("ICP record number (ICP备案号)", "'苏ICP备05005881' is not like 苏ICP备05005881号", 6),
        (
            "public security record number (公安备案号)",
            "'苏公网安备3207240200012号' is not like 苏公网安备32072402000123号",
            7,
        ),
        ("party and government website mark (党政机关网站标识)", "this item is missing", None),
        ("sponsor (主办单位)", "this item is missing", None),
        ("contact (联系方式)", "this item is missing", None),
        ("error reporting link (我为政府网站找错)", "this item is missing", None),
    }
    assert {f["rule"] for f in data["findings"]} == {"basic-info"}
    assert code == 1


def test_disclosure_fields_of_policy_documents(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/zcwj/_index.md"] = column_md("政策文件", 5)
    files["content/zcwj/full.md"] = report_md(
        "完整的文件", ago(10), doc_no="测政发〔2026〕1号", index_no="113207/2026-00001"
    )
    files["content/zcwj/nodoc.md"] = report_md("缺文号", ago(11), index_no="113207/2026-00002")
    files["content/zcwj/none.md"] = report_md("都缺", ago(12))
    files["content/zcwj/repealed.md"] = report_md(
        "已废止", ago(13), doc_no="测政发〔2020〕2号", index_no="113207/2020-00003", validity="废止"
    )
    files["content/zcwj/expired.md"] = report_md(
        "已过期",
        ago(14),
        doc_no="测政发〔2021〕3号",
        index_no="113207/2021-00004",
        validity="有效",
        expires=ago(2),
    )
    code, data = audit(site(tmp_path, files))
    got = {(f["rule"], f["subject"], f["message"], f["since"]) for f in data["findings"]}
    assert got == {
        (
            "disclosure-fields",
            "缺文号",
            "policy document 「缺文号」 has no document number (文号)",
            "",
        ),
        (
            "disclosure-fields",
            "都缺",
            "policy document 「都缺」 has neither a document number (文号) nor an index number "
            "(索引号)",
            "",
        ),
        (
            "disclosure-validity-date",
            "已废止",
            "「已废止」 is marked 废止 without the date it changed",
            "",
        ),
        (
            "disclosure-expired-valid",
            "已过期",
            f"「已过期」 expired on {ago(2)} but is still marked 有效",
            ago(2),
        ),
    }
    assert code == 1


def test_broken_links_and_missing_attachments_in_a_built_site(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/tzgg/b.md"] = report_md(
        "关于调整办公时间的通知", ago(100), attachments=[{"title": "附件1", "file": "files/a.pdf"}]
    )
    files["content/tzgg/files/a.pdf"] = b"%PDF-1.4\n"
    source = site(tmp_path, files)
    out = tmp_path / "built"
    build_into(source, out, now=dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC))
    pdfs = list(out.rglob("a.pdf"))
    assert len(pdfs) == 1
    pdfs[0].unlink()
    home = out / "index.html"
    home.write_text(
        home.read_text(encoding="utf-8").replace("</main>", '<a href="/nowhere/">x</a></main>'),
        encoding="utf-8",
    )
    code, data = audit(source, "--built", str(out))
    got = {(f["rule"], f["subject"]) for f in data["findings"]}
    report_page = next(p for p in (out / "tzgg").rglob("index.html") if "a.pdf" in p.read_text())
    assert got == {
        ("home-link", "index.html"),
        ("attachment", report_page.relative_to(out).as_posix()),
    }
    assert code == 1


class Outside(BaseHTTPRequestHandler):
    """Another site: /ok answers 200, /gone 404, HEAD refused on /nohead (GET works)."""

    def _answer(self, body: bool) -> None:
        path = self.path.split("?")[0]
        if path == "/nohead" and self.command == "HEAD":
            status = 405
        else:
            status = {"/ok": 200, "/nohead": 200}.get(path, 404)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:
        self._answer(False)

    def do_GET(self) -> None:
        self._answer(True)

    def log_message(self, *args: object) -> None:
        pass


def test_external_links_are_fetched_and_each_failure_has_its_status(tmp_path: Path) -> None:
    with http_server(Outside) as base:
        files = fresh_columns()
        body = f"见[好的]({base}/ok)、[没了]({base}/gone)和[不收HEAD]({base}/nohead)。\n"
        files["content/ywdt/a.md"] = report_md("县政府召开常务会议", ago(3), body=body)
        code, data = audit(site(tmp_path, files), "--external", "--timeout", "5")
    # Only the links to the stand-in site are looked at: the footer's links go to the internet.
    ours = [f for f in data["findings"] if f["message"].startswith(base)]
    assert [(f["rule"], f["subject"], f["message"]) for f in ours] == [
        (
            "external-link",
            "ywdt/2026/a/index.html",
            f"{base}/gone answers HTTP 404 (linked from ywdt/2026/a/index.html)",
        )
    ]
    assert {f["rule"] for f in data["findings"]} == {"external-link"}
    assert code == 1
    # Without --external nothing is fetched.
    _code, data = audit(tmp_path / "site")
    assert data["findings"] == []


def test_probe_asks_again_after_a_server_error() -> None:
    answers = iter([503, 503, 200])

    class Flaky(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            self.send_response(next(answers))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with http_server(Flaky) as base:
        assert probe(f"{base}/x", timeout=5, retries=2, backoff=0) == ""
    answers = iter([503, 503, 503])
    with http_server(Flaky) as base:
        assert probe(f"{base}/x", timeout=5, retries=2, backoff=0) == "HTTP 503"


def test_static_accessibility_checks(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/ywdt/a.md"] = report_md(
        "县政府召开常务会议", ago(3), body="## 一、总体情况\n\n#### 细节\n\n正文。\n"
    )
    config = BASICS + "main_color: '#ffdd00'\n"
    code, data = audit(site(tmp_path, files, config))
    got = {(f["rule"], f["message"]) for f in data["findings"]}
    assert (
        "a11y-contrast",
        "white text on main_color #ffdd00 has a contrast of 1.34:1, below 4.5:1",
    ) in got
    skips = [m for r, m in got if r == "a11y-static"]
    assert skips == ["heading h2 is followed by h4: a level is skipped"]
    assert code == 1


def test_text_and_html_reports(tmp_path: Path) -> None:
    files = fresh_columns()
    files["content/tzgg/b.md"] = report_md("关于调整办公时间的通知", "2026-04-30")
    files["content/tzgg/c.md"] = report_md("更早的通知", "2025-06-30")
    files["content/tzgg/d.md"] = report_md("两年前的通知", "2024-01-01")
    source = site(tmp_path, files)
    text = run_cli("audit", "--source", source, "--date", DAY.isoformat())
    assert text.exit_code == 1
    assert text.stdout.splitlines()[0] == "Loses points (1)"
    assert text.stdout.splitlines()[-1] == (
        "audit as of 2026-12-01: 0 fail the inspection, 1 lose points, 0 notes"
    )
    out = tmp_path / "audit.html"
    html = run_cli("audit", "-s", source, "--date", DAY.isoformat(), "--format", "html", "-o", out)
    assert html.exit_code == 1
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "zh-CN"
    assert not soup.find_all(["script", "link"])  # self-contained
    svgs = {s.find_previous("h3").get_text(): s for s in soup.select("svg.timeline")}
    assert set(svgs) == {"要闻动态", "通知公告", "人事信息"}
    # Publications of the last two years: 2024-01-01 is older than 2024-12-01.
    assert len(svgs["通知公告"].select("circle.dot")) == 2
    assert svgs["通知公告"]["data-stale"] == "true"
    assert len(svgs["通知公告"].select("rect.late")) == 1
    # Gaps longer than 6 months: 2024-01-01 → 2025-06-30 (drawn from the window's start) and
    # 2025-06-30 → 2026-04-30.
    assert len(svgs["通知公告"].select("rect.gap")) == 2
    assert svgs["要闻动态"]["data-stale"] == "false"
    assert len(svgs["要闻动态"].select("rect.allowed")) == 1
    assert (
        soup.select("#points + ol li")[0]
        .get_text(" ", strip=True)
        .startswith("Column not updated (栏目不更新) · 通知公告:")
    )


def test_exit_status_follows_the_worst_group() -> None:
    def one(severity: str) -> Finding:
        return Finding(severity, "r", "n", "s", "m")

    assert exit_status([]) == 0
    assert exit_status([one("note")]) == 0
    assert exit_status([one("note"), one(POINTS)]) == 1
    assert exit_status([one(POINTS), one(VETO)]) == 2


def test_intervals() -> None:
    start = dt.datetime(2026, 8, 31)
    assert parse_interval("6m").after(start) == dt.datetime(2027, 2, 28)
    assert parse_interval("2w").after(start) == dt.datetime(2026, 9, 14)
    assert parse_interval("1y").before(dt.datetime(2028, 2, 29)) == dt.datetime(2027, 2, 28)
    assert parse_interval("never") == Interval(0, "never")
    for bad in ("", "0m", "2 weeks", "6", "m", "两周", 6):
        assert parse_interval(bad) is None


def test_findings_in_the_site_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITEGEN_LANG", "zh-CN")
    files = fresh_columns()
    files["content/tzgg/b.md"] = report_md("关于调整办公时间的通知", "2026-04-30")
    result = run_cli("audit", "--source", site(tmp_path, files), "--date", DAY.isoformat())
    assert result.stdout.splitlines() == [
        "扣分 (1)",
        "  [栏目不更新] 通知公告: 栏目「通知公告」已 7 个月未更新（最近一条 2026-04-30），"
        "通知公告、政策文件类栏目应在 6 个月内更新",
        "      整改建议：请发布新信息，或在该栏目的 _index.md 中设置 update_every（现为 6m）",
        "      需修改的文件：content/tzgg/_index.md",
        "自查日期 2026-12-01：单项否决 0 项，扣分 1 项，提示 0 项",
    ]
    assert result.exit_code == 1
