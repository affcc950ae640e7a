"""政府信息公开目录 read back from a built site: exactly the reports with disclosure
fields, their cells as the front matter gives them, newest first, page by page; the first
page's data for catalogue.js holds the same rows."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin

import jinja2
import pytest
from sitegen_testkit import (
    MINIMAL_CONFIG,
    build_fails,
    build_into,
    column_md,
    messages,
    read_page,
    report_md,
    snapshot,
    write_site,
)

from generator.incremental.manifest import CACHE_DIR, CATALOGUE
from generator.pages.catalogue import row_text
from generator.render import format_date

DISCLOSURE_KEYS = (
    "index_no",
    "publisher",
    "doc_no",
    "written_date",
    "category",
    "validity",
    "validity_date",
    "disclosure",
)

# file: front matter (title and date given, other keys as written)
REPORTS: dict[str, dict] = {
    "zwgk/zcwj/a.md": {
        "date": "2024-03-01",
        "index_no": "11320724014180357X/2024-00001",
        "doc_no": "灌政发〔2024〕1号",
        "publisher": "灌南县人民政府",
        "written_date": "2024-02-27",
        "category": "综合政务",
        "validity": "有效",
    },
    "zwgk/zcwj/b.md": {
        "date": "2023-05-10",
        "doc_no": "灌政办发〔2023〕7号",
        "publisher": "灌南县人民政府办公室",
        "category": "城乡建设",
        "validity": "失效",
    },
    "zwgk/zcwj/c.md": {"date": "2022-12-01"},  # no disclosure field: not in the catalogue
    "xwzx/tzgg/d.md": {"date": "2024-01-15", "publisher": "灌南县司法局", "category": "综合政务"},
    "xwzx/tzgg/e.md": {
        "date": "2021-07-01",
        "index_no": "11320724014180357X/2021-00031",
        "validity": "废止",
    },
    "xwzx/tzgg/f.md": {
        "date": "2024-04-01",
        "link": "https://www.lyg.gov.cn/a.html",
        "doc_no": "连政发〔2024〕3号",
        "publisher": "连云港市人民政府",
    },
    "xwzx/tzgg/g.md": {
        "date": "2020-02-02",
        "source": "灌南县司法局",
    },  # source is no disclosure field
}


def site(tmp_path: Path, config: str = MINIMAL_CONFIG + "catalogue:\n  per_page: 2\n") -> Path:
    files = {
        "content/zwgk/_index.md": column_md("政府信息公开", 2),
        "content/zwgk/zcwj/_index.md": column_md("政策文件"),
        "content/xwzx/_index.md": column_md("新闻中心", 1),
        "content/xwzx/tzgg/_index.md": column_md("通知公告"),
    }
    for path, fields in REPORTS.items():
        fields = dict(fields)
        files[f"content/{path}"] = report_md(
            f"文件{Path(path).stem}",
            fields.pop("date"),
            body="" if "link" in fields else "正文。\n",
            **fields,
        )
    return write_site(tmp_path / "site", files, config)


def expected_rows() -> list[list[str]]:
    chosen = [p for p, f in REPORTS.items() if any(k in f for k in DISCLOSURE_KEYS)]
    chosen.sort(key=lambda p: REPORTS[p]["date"], reverse=True)
    rows = []
    for path in chosen:
        f = REPORTS[path]
        rows.append(
            [
                f.get("index_no", ""),
                f"文件{Path(path).stem}",
                f.get("doc_no", ""),
                f.get("publisher", ""),
                f.get("written_date", ""),
                f["date"],
                f.get("category", ""),
                f.get("validity", ""),
            ]
        )
    return rows


def table_rows(out: Path, url: str) -> list[list[str]]:
    soup = read_page(out, url)
    return [
        [
            td.find(string=True, recursive=True).strip() if td.find(string=True) else ""
            for td in tr.find_all("td")
        ]
        for tr in soup.select("main table.catalogue tbody tr")
    ]


def test_catalogue_pages_hold_exactly_the_reports_with_disclosure_fields(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_into(site(tmp_path), out)
    expected = expected_rows()
    assert len(expected) == 5
    seen: list[list[str]] = []
    url = "/xxgk/catalogue/"
    pages = []
    while url:
        pages.append(url)
        seen += table_rows(out, url)
        soup = read_page(out, url)
        nxt = soup.select_one('main .pagination a[rel="next"]')
        url = unquote(urljoin("https://h" + url, nxt["href"])[9:]) if nxt else ""
    assert seen == expected
    assert pages == ["/xxgk/catalogue/", "/xxgk/catalogue/page/2/", "/xxgk/catalogue/page/3/"]
    headers = [
        th.get_text() for th in read_page(out, pages[0]).select("main table.catalogue thead th")
    ]
    assert headers == [
        "索引号",
        "名称",
        "文号",
        "发布机构",
        "成文日期",
        "发布日期",
        "主题分类",
        "有效性",
    ]
    # The link item points to the other site, marked for screen readers.
    first = read_page(out, pages[0])
    link = first.select_one('main table.catalogue a[rel="external"]')
    assert link["href"] == "https://www.lyg.gov.cn/a.html" and "外部链接" in link.get_text()
    # The data of catalogue.js: every row, in the same order.
    data = json.loads(first.select_one("script#catalogue-data").string)
    assert [
        [d["i"], d["t"], d["d"], d["p"], d["w"], d["a"], d["c"], d["v"]] for d in data
    ] == expected
    assert [d["y"] for d in data] == [r[5][:4] for r in expected]
    for d in data:
        if not d["x"]:
            target = unquote(urljoin("https://h/xxgk/catalogue/", d["h"])[9:])
            assert (out / target.lstrip("/") / "index.html").is_file(), target
    assert read_page(out, pages[1]).select_one("script#catalogue-data") is None
    # The filters offer every value there is.
    options = {
        sel["name"]: [o["value"] for o in sel.find_all("option")][1:]
        for sel in first.select("main form.catalogue-filters select")
    }
    assert options == {
        "category": sorted({r[6] for r in expected} - {""}),
        "publisher": sorted({r[3] for r in expected} - {""}),
        "year": sorted({r[5][:4] for r in expected}, reverse=True),
        "validity": sorted({r[7] for r in expected} - {""}),
    }
    assert first.select_one("main form.catalogue-filters").has_attr("hidden")  # shown by JS


def test_the_catalogue_path_is_configurable(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_into(site(tmp_path, MINIMAL_CONFIG + "catalogue: {path: /gk/ml/}\n"), out)
    assert table_rows(out, "/gk/ml/") == expected_rows()
    assert not (out / "xxgk").exists()


def test_a_bad_catalogue_path_is_an_error(tmp_path: Path) -> None:
    problems = messages(
        build_fails(site(tmp_path, MINIMAL_CONFIG + "catalogue:\n  path: ../up/\n"))
    )
    assert any("sitegen.yaml:4: 'catalogue.path': '../up/' is not a path" in p for p in problems), (
        problems
    )


def test_no_catalogue_without_disclosure_fields(one_report_output: Path) -> None:
    assert not (one_report_output / "xxgk").exists()


def test_a_cached_rebuild_follows_an_edited_disclosure_field(tmp_path: Path) -> None:
    """Every catalogue page declares the reports it shows (the first: all of them), so
    an edit of one report's 文号 reaches the table and the data of the first page."""
    root = site(tmp_path)
    out = tmp_path / "out"
    build_into(root, out)
    file = root / "content/xwzx/tzgg/e.md"  # the oldest row: on the last page
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "validity: 废止", "validity: 废止\ndoc_no: 灌司发〔2021〕9号"
        ),
        encoding="utf-8",
    )
    build_into(root, out)
    REPORTS["xwzx/tzgg/e.md"]["doc_no"] = "灌司发〔2021〕9号"
    try:
        rows = expected_rows()
        assert table_rows(out, "/xxgk/catalogue/page/3/") == rows[4:]
        data = json.loads(
            read_page(out, "/xxgk/catalogue/").select_one("script#catalogue-data").string
        )
        assert [d["d"] for d in data] == [r[2] for r in rows]
    finally:
        del REPORTS["xwzx/tzgg/e.md"]["doc_no"]


# The first page's data as the theme wrote it before the rows were made in Python.
JINJA_ROW = (
    '{{ {"i": r.disclosure.index_no, "t": r.title, "h": url(r.url), "x": r.link != "", '
    '"d": r.disclosure.doc_no, "p": r.disclosure.publisher, "w": r.disclosure.written_date, '
    '"a": r.date|date, "c": r.disclosure.category, "v": r.disclosure.validity, '
    '"y": r.date.year|string}|tojson }}'
)


def test_a_row_is_what_the_template_loop_wrote(tmp_path: Path) -> None:
    """row_text gives, byte for byte, what ``{{ {…}|tojson }}`` gave (titles and fields
    with the characters tojson escapes, 外链 items, dates of all kinds)."""
    from generator.build import BuildOptions, load_site
    from generator.errors import Diagnostics

    root = site(tmp_path)
    fields = {k: v for k, v in REPORTS["zwgk/zcwj/a.md"].items() if k != "date"}
    (root / "content/zwgk/zcwj/a.md").write_text(
        report_md("<b>甲&乙</b> '丙' \"丁\"", "2024-03-01", body="正文。\n", **fields),
        encoding="utf-8",
    )
    loaded, _theme = load_site(BuildOptions(source=root), Diagnostics())
    env = jinja2.Environment(autoescape=True)
    env.filters["date"] = format_date
    template = env.from_string(JINJA_ROW)

    def url(path: str) -> str:
        return "../.." + path

    rows = [r for r in loaded.reports if r.has_disclosure]
    assert len(rows) == 5
    for r in rows:
        assert row_text(r, url) == template.render(r=r, url=url)


def catalogue_edits(root: Path) -> list:
    def edit(name: str, old: str, new: str) -> None:
        file = root / "content" / name
        text = file.read_text(encoding="utf-8")
        assert old in text, (name, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return [
        lambda: edit("zwgk/zcwj/a.md", "title: 文件a", "title: 文件a<改>&'"),
        lambda: edit("zwgk/zcwj/b.md", "date: '2023-05-10'", "date: '2024-05-10'"),
        lambda: edit("zwgk/zcwj/a.md", "doc_no: 灌政发〔2024〕1号", "doc_no: 灌政发〔2024〕2号"),
        lambda: edit("xwzx/tzgg/e.md", "validity: 废止", "validity: 有效"),
        lambda: edit("zwgk/zcwj/c.md", "title: 文件c", "title: 文件c\ncategory: 综合政务"),
        lambda: (root / "content/xwzx/tzgg/d.md").unlink(),
        lambda: edit("zwgk/zcwj/a.md", "正文。", "正文改了。"),
    ]


@pytest.mark.parametrize("relative", [False, True], ids=["links", "file-links"])
def test_kept_rows_build_as_clean(tmp_path: Path, relative: bool) -> None:
    """The rows the build cache keeps (catalogue.sgc) give, after each edit of a row's
    fields (title, date, 文号, 有效性, a report joining and one leaving the catalogue, a
    body), the output of a clean build; so does a damaged file, with one warning."""
    root = site(tmp_path)
    out = tmp_path / "out"
    build_into(root, out, relative=relative, jobs=1)
    assert (root / CACHE_DIR / CATALOGUE).is_file()
    for n, change in enumerate(catalogue_edits(root)):
        change()
        build_into(root, out, relative=relative, jobs=1)
        build_into(root, tmp_path / f"clean{n}", relative=relative, cache=False, jobs=1)
        assert snapshot(out) == snapshot(tmp_path / f"clean{n}"), n
    kept = root / CACHE_DIR / CATALOGUE
    kept.write_bytes(kept.read_bytes()[:-7] + b"garbage")
    (root / "content/zwgk/zcwj/b.md").write_text(
        report_md("文件b", "2023-05-10", body="正文。\n", doc_no="灌政办发〔2023〕8号"),
        encoding="utf-8",
    )
    result = build_into(root, out, relative=relative, jobs=1)
    assert [w.path for w in result.warnings if "damaged" in w.message] == [
        f"{CACHE_DIR}/{CATALOGUE}"
    ]
    build_into(root, tmp_path / "clean-last", relative=relative, cache=False, jobs=1)
    assert snapshot(out) == snapshot(tmp_path / "clean-last")
