"""`sitegen init` and `sitegen new`: skeletons and reports that build as they are, dated by
one "now" in the site's time zone (never the machine's clock or zone); --version and --help."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import yaml
from sitegen_testkit import NOW, read_page, run_cli

from generator import __version__
from generator.build import BuildOptions, build
from generator.dates import NOW_VARIABLE
from generator.scaffold import init_site, new_report

UTC = dt.UTC
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Every command of this module runs at NOW (the machine's clock and zone do not count)."""
    monkeypatch.setenv(NOW_VARIABLE, NOW.isoformat())
    return NOW


def front_matter(path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n")[1])


def test_init_makes_a_site_that_builds_as_it_is(tmp_path):
    site = tmp_path / "mysite"
    result = run_cli("init", site, "--title", "某县司法局")
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((site / "sitegen.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "某县司法局"
    reports = [p for p in (site / "content").rglob("*.md") if p.name != "_index.md"]
    assert len(reports) == 1
    out = tmp_path / "out"
    built = build(BuildOptions(source=site, output=out, now=NOW))
    assert built.pages > 3
    meta = front_matter(reports[0])
    assert meta["date"] == NOW.date()
    assert reports[0].name == f"{NOW.year}-example-notice.md"
    page = read_page(out, f"/gsgg/{meta['date'].year}/{meta['slug']}/")
    assert page.h1.get_text(strip=True) == meta["title"]
    again = run_cli("init", site)
    assert again.exit_code == 1
    assert "a site already exists here" in again.output


def test_new_writes_a_dated_report_in_the_column_of_its_folder(tmp_path):
    site = tmp_path / "mysite"
    assert run_cli("init", site).exit_code == 0
    result = run_cli(
        "new", "xwzx/tzgg/2024-notice.md", "--title", "关于某事项的通知: 第一号", "--source", site
    )
    assert result.exit_code == 0, result.output
    report = site / "content" / "xwzx" / "tzgg" / "2024-notice.md"
    meta = front_matter(report)
    assert meta["title"] == "关于某事项的通知: 第一号"  # quoted safely in YAML
    assert meta["date"] == NOW.date()
    assert meta["slug"] == "2024-notice"
    assert (site / "content" / "xwzx" / "tzgg" / "_index.md").is_file()
    out = tmp_path / "out"
    build(BuildOptions(source=site, output=out, now=NOW))
    page = read_page(out, f"/xwzx/tzgg/{NOW.year}/2024-notice/")
    assert "关于某事项的通知" in page.h1.get_text()
    crumbs = [a.get_text(strip=True) for a in page.select("nav.breadcrumb a")]
    assert crumbs[-1] == "tzgg"
    exists = run_cli("new", "xwzx/tzgg/2024-notice.md", "--source", site)
    assert exists.exit_code == 1 and "already exists" in exists.output
    outside = run_cli("new", "../escape.md", "--source", site)
    assert outside.exit_code == 1 and "inside content/" in outside.output
    assert not (site / "escape.md").exists()


# Moments where the date in UTC (and on most machines' clocks) is not the date in Shanghai.
EDGES = [
    dt.datetime(2024, 12, 31, 16, 0, tzinfo=UTC),  # 2025-01-01 00:00 in Shanghai
    dt.datetime(2024, 12, 31, 23, 59, tzinfo=UTC),  # 2025-01-01 07:59 in Shanghai
    dt.datetime(2025, 1, 1, 15, 59, tzinfo=UTC),  # 2025-01-01 23:59 in Shanghai
    dt.datetime(2024, 2, 28, 16, 30, tzinfo=UTC),  # 2024-02-29 (leap day) in Shanghai
]


@pytest.mark.parametrize("now", EDGES, ids=lambda d: d.isoformat())
def test_init_and_new_agree_on_today_in_the_sites_time_zone(tmp_path, now: dt.datetime):
    expected = now.astimezone(SHANGHAI).date()
    site = tmp_path / "site"
    init_site(site, "某县司法局", now=now)
    example = site / "content" / "gsgg" / f"{expected.year}-example-notice.md"
    assert front_matter(example)["date"] == expected
    target, _ = new_report(site, tmp_path / "site/content/gsgg/n.md", "通知", now=now)
    assert front_matter(target)["date"] == expected
    # both are published by a build at that moment (neither is taken for future-dated)
    built = build(BuildOptions(source=site, output=tmp_path / "out", now=now))
    assert built.left_out.get("future", 0) == 0
    assert (tmp_path / "out" / "gsgg" / str(expected.year) / "n" / "index.html").is_file()


@pytest.mark.parametrize("now", EDGES, ids=lambda d: d.isoformat())
def test_the_commands_take_now_from_sitegen_now(tmp_path, monkeypatch, now: dt.datetime):
    monkeypatch.setenv(NOW_VARIABLE, now.isoformat())
    expected = now.astimezone(SHANGHAI).date()
    site = tmp_path / "site"
    assert run_cli("init", site).exit_code == 0
    example = site / "content" / "gsgg" / f"{expected.year}-example-notice.md"
    assert front_matter(example)["date"] == expected
    assert run_cli("new", "gsgg/n.md", "--source", site).exit_code == 0
    assert front_matter(site / "content" / "gsgg" / "n.md")["date"] == expected


def test_a_naive_sitegen_now_is_read_in_the_sites_time_zone(tmp_path, monkeypatch):
    monkeypatch.setenv(NOW_VARIABLE, "2025-01-01T00:30")  # Shanghai time, not UTC or local
    site = tmp_path / "site"
    assert run_cli("init", site).exit_code == 0
    assert (site / "content" / "gsgg" / "2025-example-notice.md").is_file()


def test_a_bad_sitegen_now_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv(NOW_VARIABLE, "next tuesday")
    result = run_cli("init", tmp_path / "site")
    assert result.exit_code == 1
    assert f"{NOW_VARIABLE}: cannot read 'next tuesday' as a date and time" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("command", ["build", "serve", "check", "init", "new"])
def test_every_command_has_help_with_an_example(command):
    result = run_cli(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"sitegen {command}" in result.output


def test_build_verbose_lists_the_files_written_and_quiet_prints_nothing(tmp_path):
    site = tmp_path / "mysite"
    assert run_cli("init", site).exit_code == 0
    out = tmp_path / "out"
    verbose = run_cli("build", "--source", site, "--output", out, "--verbose")
    assert verbose.exit_code == 0, verbose.output
    assert "wrote index.html" in verbose.output
    assert "built " in verbose.output
    quiet = run_cli("build", "--source", site, "--output", out, "--quiet")
    assert quiet.exit_code == 0
    assert quiet.output.strip() == ""


def test_init_in_a_folder_with_files_keeps_every_existing_file(tmp_path):
    """Only missing files are written; existing ones are kept byte for byte and listed."""
    site = tmp_path / "repo"
    (site / "content/gsgg").mkdir(parents=True)
    (site / ".gitignore").write_bytes(b"secrets/\n")
    (site / "content/gsgg/_index.md").write_bytes(
        b"---\ntitle: \xe6\x88\x91\xe7\x9a\x84\xe6\xa0\x8f\xe7\x9b\xae\n---\n"
    )
    (site / "README.txt").write_bytes(b"my notes")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = run_cli("init", site)
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in before} == before
    kept = [line for line in result.stderr.splitlines() if line.startswith("kept ")]
    assert sorted(kept) == sorted(
        f"kept {site / rel} (it exists already; not overwritten)"
        for rel in (".gitignore", "content/gsgg/_index.md")
    )
    created = {
        line[len("created ") :]
        for line in result.stdout.splitlines()
        if line.startswith("created ")
    }
    assert str(site / "sitegen.yaml") in created and str(site / ".gitignore") not in created
    out = tmp_path / "out"
    build(BuildOptions(source=site, output=out, jobs=1))
    assert read_page(out, "/gsgg/").h1.get_text(strip=True) == "我的栏目"


def test_init_dates_the_example_report_in_the_sites_time_zone(tmp_path):
    from zoneinfo import ZoneInfo

    from generator.scaffold import init_site

    # 23:30 UTC on 31 Dec is already 1 Jan in Asia/Shanghai, the zone init writes
    late = dt.datetime(2023, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    result = init_site(tmp_path / "s", "某县", now=late.astimezone(ZoneInfo("Asia/Shanghai")))
    (example,) = [p for p in result.created if p.name.endswith("example-notice.md")]
    assert example.name == "2024-example-notice.md"
    assert front_matter(example)["date"] == dt.date(2024, 1, 1)


def test_init_under_a_regular_file_is_a_located_message(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_bytes(b"x")
    result = run_cli("init", blocker / "site")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "error: " in result.stderr and str(blocker) in result.stderr
    assert blocker.read_bytes() == b"x"
