"""Property test: random sites through a whole build, checked for the promises of issue 10.

Hypothesis makes sites of 1-6 reports in 1-3 (possibly nested) columns, with hostile file
names, front matter (valid YAML from ``yaml.safe_dump`` and raw text that may be malformed),
bodies with links, images, headings and tables, and for some examples hostile config
values, a pre-filled output folder, backup files and symbolic links. Each site is built in
process or through the CLI, and whatever the input:

- the build succeeds, or fails with located messages (each has a path): never a traceback;
- no file outside the output folder is created, changed or removed, and a failed build
  leaves the output folder as it was (a user's own file in it is never lost);
- nothing meant to stay private (drafts, future-dated and expired reports with their own
  attachments, editor backups, system files, files behind links) reaches the output;
- every HTML file parses strictly (balanced tags, no duplicate attributes or ids, no bare
  ``&`` in attributes, no control characters), every feed and sitemap is well-formed XML
  with percent-encoded absolute URLs;
- every href/src/action is http(s)/mailto/tel, or a relative or site-root path that
  resolves to a file of the output (with its ``#fragment`` to an id of the target page);
- no two output files differ only by case, and a cached rebuild of an unchanged site
  changes no byte of the output.

The Markdown body is trusted (raw HTML is allowed there): bodies are made without raw
HTML, their ``javascript:`` links are not counted, and their links to nowhere carry the
word ``nowhere`` so that they are not expected to resolve. Everything else must hold.

``SITEGEN_HYPOTHESIS_EXAMPLES`` raises the number of examples for a longer run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitegen_testkit import NOW

from generator.build import BuildOptions, build
from generator.cli import main
from generator.errors import BuildFailed, Problem

EXAMPLES = int(os.environ.get("SITEGEN_HYPOTHESIS_EXAMPLES", "100"))
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
LEAK = "LEAK-"  # every byte string that must never be published starts with this
OUTSIDE = "<the secret file outside the site>"  # a link target, made absolute when written
NOWHERE = "nowhere"  # marks body links that are not expected to resolve
SERVER = "https://host.invalid"  # where the pages are served in the link check
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "xlink:href")
BARE_AMP = re.compile(r"&(?!(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


# ---------------------------------------------------------------------------------------
# Strategies: names, text, URLs, front matter, bodies, sites
# ---------------------------------------------------------------------------------------

CJK = "报告法治政府建设年度工作公示公告新闻中心县人民关于的通知"
ODD = (
    "e\u0301",  # combining acute accent
    "\u202eabc",  # right-to-left override
    "مرحبا",  # right-to-left script
    "😀",
    "ｆｕｌｌ",  # full-width letters
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark inside a name
)
NASTY_NAMES = (
    "报告",
    "2020年度报告",
    "a b",
    "no#1",
    "what?",
    "100%",
    "100%20",
    "c:d",
    "a&b",
    "it's",
    'say"hi"',
    "<x>",
    "Report",
    "report",
    "~$报告",
    "-dash",
    " lead",
    "trail ",
    "con",
    "index",
    "page",
    "series",
    "feed.xml",
    "a" * 200,
    "长" * 75,
    *ODD,
)
NAME_ALPHABET = st.sampled_from(
    list("abcXYZ019-_. #?%:&'\"<>+=,;!()[]~") + list(CJK) + list("éñ😀ｆ\u0301\u202e")
)


def fits(name: str, suffix: str = "") -> bool:
    """A name Linux can hold (255 bytes, no '/' or NUL) and a build will look at."""
    return (
        bool(name.strip("."))
        and "/" not in name
        and "\x00" not in name
        and len((name + suffix).encode("utf-8")) <= 250
    )


def names(suffix: str = "") -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY_NAMES),
        st.text(NAME_ALPHABET, min_size=1, max_size=24),
    ).filter(lambda n: fits(n, suffix))


TEXT_ALPHABET = st.one_of(
    st.sampled_from(list(CJK) + list("，。、；：“”（）《》〔〕—")),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
HOSTILE_TEXT = (
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    '"><img src=x onerror=alert(1)>',
    "&amp; &lt; & &copy",
    "a: b",
    "- item",
    "[1, 2]",
    "{a: 1}",
    "*alias",
    "&anchor",
    "!!python/object:os.system",
    "# comment",
    "'",
    '"',
    "---",
    "...",
    "%",
    "@",
    "`",
    "|",
    ">",
    "yes",
    "null",
    "~",
    "1e3",
    "0x10",
    "2020-13-45",
    "\x01\x02\x1b[31m",
    "\u2028\u2029",
    "\t tab",
    "%E4%B8%AD",
)


def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(TEXT_ALPHABET, max_size=max_size),
        st.text(st.sampled_from(list(CJK)), min_size=1, max_size=max_size),
    )


def dates() -> st.SearchStrategy[object]:
    """Dates as YAML gives them, as the texts the README allows, and invalid ones."""
    day = st.dates(dt.date(1990, 1, 1), dt.date(2023, 12, 31))
    return st.one_of(
        day,
        day.map(lambda d: d.isoformat()),
        day.map(lambda d: f"{d.isoformat()} 09:30"),
        day.map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
        st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2023, 12, 31)),
        st.sampled_from(["2020-13-45", "2020-02-30", "", "tomorrow", "0000-00-00", "9999-12-31"]),
        st.none(),
        st.integers(-5, 30000000),
    )


# Targets that exist in every built site, with or without base_url (site-root paths).
KNOWN_TARGETS = ("/", "/sitemap/", "/404.html", "/css/site.css")
HOSTILE_URLS = (
    "javascript:alert(1)",
    "JavaScript:alert(2)",
    " javascript:alert(3)",
    "java\tscript:alert(4)",
    "jav&#x09;ascript:alert(5)",
    "javascript://%0Aalert(6)",  # looks like an absolute URL to a naive check
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "//evil.example/x",
    "\\\\evil.example\\x",
    "ftp://example.com/a",
)
SAFE_URLS = (
    "https://www.example.gov.cn/",
    "https://www.example.gov.cn/路径/文件.pdf",
    "https://www.example.gov.cn/a b?x=1&y=2#frag",
    "https://www.example.gov.cn/?q=%E4%B8%AD&copy=1",
    'https://www.example.gov.cn/"quote"',
    "http://例子.中国/",
    "mailto:a@example.gov.cn",
    "tel:+86-518-1234567",
)


def urls() -> st.SearchStrategy[str]:
    """URLs an editor may write in front matter or the config (not into the body)."""
    return st.one_of(
        st.sampled_from(SAFE_URLS),
        st.sampled_from(HOSTILE_URLS),
        st.sampled_from(KNOWN_TARGETS),
        st.sampled_from([f"{t}#main" for t in ("/", "/sitemap/")]),
        st.text(TEXT_ALPHABET, max_size=12).map(lambda t: "https://www.example.gov.cn/" + t),
    )


def any_value(depth: int = 2) -> st.SearchStrategy[object]:
    """Whatever YAML can hold: text, numbers, null, booleans, dates, lists, mappings."""
    leaves = st.one_of(
        texts(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.none(),
        st.booleans(),
        st.dates(),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(st.one_of(texts(10), st.integers()), inner, max_size=3),
        ),
        max_leaves=6,
    )


def attachment(files: list[str]) -> st.SearchStrategy[object]:
    """An attachment entry: a file next to the report (that exists), a URL, or a mess."""
    target = st.one_of(
        st.sampled_from(files) if files else st.nothing(),
        urls(),
        st.sampled_from(["missing.pdf", "../../../../etc/passwd", "/", "", ".."]),
    )
    return st.one_of(
        st.fixed_dictionaries({"title": texts(), "file": target}),
        target,
        any_value(),
    )


def valid_dates() -> st.SearchStrategy[object]:
    """Dates a build accepts, in every form the README names."""
    day = st.dates(dt.date(1990, 1, 1), dt.date(2023, 12, 31))
    return st.one_of(
        day, day.map(lambda d: d.isoformat()), day.map(lambda d: f"{d:%Y-%m-%d} 09:30")
    )


def titles() -> st.SearchStrategy[str]:
    return texts().filter(lambda t: t.strip() != "")


def clean_fields(files: list[str]) -> dict[str, st.SearchStrategy[object]]:
    """Values of the right type and range (still hostile text, names and URLs)."""
    text = texts()
    tags = st.one_of(st.lists(texts(12), max_size=4), texts())
    targets = st.one_of(st.sampled_from(files), urls()) if files else urls()
    return {
        "title": titles(),
        "date": valid_dates(),
        "slug": names(),
        "source": text,
        "summary": text,
        "tags": tags,
        "keywords": tags,
        "draft": st.just(False),
        "series": st.one_of(texts(12), st.just("法治政府建设年度报告")),
        "year": st.integers(1990, 2030),
        "recipient": text,
        "doc_no": st.one_of(text, st.just("灌政发〔2021〕12号")),
        "written_date": valid_dates(),
        "validity": st.sampled_from(["有效", "失效", "废止"]),
        "attachments": st.lists(
            st.one_of(st.fixed_dictionaries({"title": titles(), "file": targets}), targets),
            max_size=3,
        ),
        "interpretation": st.fixed_dictionaries({"title": text, "url": urls()}),
        "weight": st.integers(-5, 5),
    }


def messy_fields(files: list[str]) -> dict[str, st.SearchStrategy[object]]:
    """A strategy per known front-matter key: mostly plausible, sometimes anything."""
    text = texts()
    tags = st.one_of(st.lists(texts(12), max_size=4), texts())
    good: dict[str, st.SearchStrategy[object]] = {
        "title": text,
        "date": dates(),
        "slug": st.one_of(names(), st.sampled_from(["..", ".", "../gsgg", "a/b", "x\x00y"])),
        "source": text,
        "summary": text,
        "description": text,
        "tags": tags,
        "keywords": tags,
        "author": text,
        "draft": st.booleans(),
        "expires": dates(),
        "lastmod": dates(),
        "series": st.one_of(
            texts(12), st.sampled_from(["..", "../gsgg", ".", "法治政府建设年度报告"])
        ),
        "year": st.integers(1800, 2300),
        "recipient": text,
        "index_no": text,
        "publisher": text,
        "doc_no": st.one_of(text, st.just("灌政发〔2021〕12号")),
        "written_date": dates(),
        "category": text,
        "validity": st.one_of(st.sampled_from(["有效", "失效", "废止"]), text),
        "validity_date": dates(),
        "disclosure": text,
        "attachments": st.lists(attachment(files), max_size=3),
        "interpretation": st.one_of(
            st.fixed_dictionaries({"title": text, "url": urls()}),
            st.fixed_dictionaries({"url": urls()}),
        ),
        "template": st.sampled_from(["report.html", "missing.html", "../../../etc/passwd"]),
        "weight": st.integers(-5, 5),
    }
    return {k: st.one_of(v, v, v, any_value()) for k, v in good.items()}


UNKNOWN_KEYS = st.sampled_from(["titel", "dates", "foo", "中文键", "tag", "<b>", "1", "x y"])


@st.composite
def front_matter_values(draw: st.DrawFn, files: list[str], messy: bool) -> dict[str, object]:
    """Front matter of a report: a clean one has title and date and values of the right
    types; a messy one may lack them and hold anything YAML can."""
    strategies = messy_fields(files) if messy else clean_fields(files)
    values: dict[str, object] = {}
    if not messy or draw(st.integers(0, 9)) > 0:
        values["title"] = draw(strategies["title"])
    if not messy or draw(st.integers(0, 9)) > 0:
        values["date"] = draw(strategies["date"])
    for key in draw(st.lists(st.sampled_from(sorted(strategies)), max_size=6, unique=True)):
        values[key] = draw(strategies[key])
    for key in draw(st.lists(UNKNOWN_KEYS, max_size=2, unique=True)):
        values[key] = draw(any_value() if messy else texts())
    return values


def yaml_scalar_raw(value: object) -> str:
    """A value written as an editor might, without the quoting safe_dump would add."""
    if isinstance(value, str):
        return value.replace("\n", " ").replace("\r", " ")
    if isinstance(value, (list, dict)):
        return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).strip()
    if value is None:
        return ""
    return str(value)


RAW_EXTRAS = (
    "title: 重复的键\n",  # a key given twice
    "tags: &a [x, y]\nkeywords: *a\n",  # a small alias
    "tags: *missing\n",
    "\ttitle: tab\n",
    "  bad: indent\n",
    "title: [unclosed\n",
    "date: 2020-12-23\ndate: 2021-01-01\n",
    "? [complex, key]\n: value\n",
    "!!binary AAAA: x\n",
    "attachments:\n  - title: 附件\n    file:\n",
    "%YAML 1.1\n",
    "...\n",
)


@st.composite
def front_matter_text(draw: st.DrawFn, values: dict[str, object], messy: bool) -> str:
    """Front matter from ``yaml.safe_dump`` (valid) or, when messy, from raw lines."""
    if not messy:
        text = yaml.safe_dump(
            values, allow_unicode=draw(st.booleans()), sort_keys=False, default_flow_style=False
        )
        return f"---\n{text}---\n"
    if draw(st.booleans()):
        text = yaml.safe_dump(
            values, allow_unicode=draw(st.booleans()), sort_keys=False, default_flow_style=False
        )
    else:
        lines = []
        for key, value in values.items():
            quote_style = draw(st.sampled_from(["", '"', "'"]))
            lines.append(f"{key}: {quote_style}{yaml_scalar_raw(value)}{quote_style}\n")
        lines += draw(st.lists(st.sampled_from(RAW_EXTRAS), max_size=2))
        text = "".join(draw(st.permutations(lines)))
    fence = draw(st.sampled_from(["---\n", "---\n", "---\n", "--- \n", "---\r\n"]))
    closing = draw(st.sampled_from(["---\n", "---\n", "---\n", "", "----\n"]))
    return f"{fence}{text}{closing}"


BODY_ALPHABET = st.one_of(
    st.sampled_from(list(CJK) + list("，。、；：“”（）《》")),
    st.sampled_from(list("abc XYZ 019 .,;!?-*_#|()&%'\"=+/:~😀é\u0301")),
)


def body_urls(sub_path: str) -> st.SearchStrategy[str]:
    """Links in a body: known targets (site-root, also under the sub-path), absolute,
    hostile schemes (the body is trusted), and links to nowhere (not checked)."""
    known = st.sampled_from(KNOWN_TARGETS)
    return st.one_of(
        known,
        known.map(lambda t: sub_path.rstrip("/") + t),
        known.map(lambda t: t + "#main"),
        known.map(lambda t: t + "?a=1&b=2"),
        known.map(lambda t: t + "?q=&copy=1"),
        st.sampled_from([u for u in SAFE_URLS if " " not in u and '"' not in u]),
        st.sampled_from(["javascript:alert(1)", "JavaScript:alert(2)"]),
        st.sampled_from([f"{NOWHERE}/", f"../{NOWHERE}.pdf", f"/{NOWHERE}/x?y#z", "#" + NOWHERE]),
        st.just("#main"),
    )


@st.composite
def bodies(draw: st.DrawFn, sub_path: str) -> str:
    words = st.text(BODY_ALPHABET, min_size=1, max_size=20).map(lambda w: w.strip() or "文")
    blocks = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["heading", "paragraph", "link", "image", "table", "list"]))
        if kind == "heading":
            level = draw(st.integers(1, 5))
            blocks.append("#" * level + " " + draw(st.sampled_from(["一、", "（一）", "1.", ""])))
            blocks[-1] += draw(words)
        elif kind == "paragraph":
            blocks.append(draw(words) + "**一是" + draw(words) + "。**" + draw(words))
        elif kind == "link":
            blocks.append(f"[{draw(words)}]({draw(body_urls(sub_path))})")
        elif kind == "image":
            blocks.append(f"![{draw(words)}]({draw(body_urls(sub_path))})")
        elif kind == "table":
            cells = draw(st.lists(words, min_size=2, max_size=4))
            row = "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"
            blocks.append(f"{row}\n|{'---|' * len(cells)}\n{row}")
        else:
            blocks.append("\n".join(f"- {draw(words)}" for _ in range(draw(st.integers(1, 3)))))
    return "\n\n".join(blocks) + "\n"


@dataclass
class Spec:
    """One random site and how it is built."""

    config: str
    files: dict[str, bytes] = field(default_factory=dict)  # path under the site folder
    raw_names: dict[bytes, bytes] = field(default_factory=dict)  # non-UTF-8 file names
    links: dict[str, str] = field(default_factory=dict)  # symlink path → target
    output: str = "out"  # relative to the temp root
    prefill: str = "none"  # none | user (a user's file) | built (a previous build)
    cli: bool = False
    relative: bool = False
    base_url: str | None = None
    rebuild: bool = False  # in process with the build cache, then again: nothing may change

    @property
    def refused(self) -> bool:
        """An output folder that must be refused (the site or its own folders)."""
        return self.output in ("site", "site/content", "site/content/pub", "site/templates")


BASE_URLS = (
    "https://www.example.gov.cn/xxgk/",
    "https://www.example.gov.cn/",
    "https://www.example.gov.cn",
    "https://www.example.gov.cn/xxgk",
    "http://例子.中国/子站/",
    "https://www.example.gov.cn/a b/",
    "/xxgk/",
    "www.example.gov.cn/xxgk",
    "javascript:alert(1)",
    "",
)


@st.composite
def configs(draw: st.DrawFn, messy: bool) -> tuple[str, dict[str, bytes]]:
    """sitegen.yaml (plain most of the time) and the static files it names."""
    values: dict[str, object] = {"title": "测试县人民政府", "search": False}
    static: dict[str, bytes] = {}
    if draw(st.integers(0, 2)) == 0:
        values["title"] = draw(texts() if messy else titles())
        values["base_url"] = draw(st.sampled_from(BASE_URLS if messy else BASE_URLS[:6]))
        values["description"] = draw(texts())
        footer = {
            "error_report_url": draw(urls()),
            "dzjg_link": draw(urls()),
            "dzjg_image": draw(st.sampled_from(["dzjg.png", "missing.png"])),
            "email": draw(st.one_of(texts(), st.just("a@example.gov.cn"))),
            "sponsor": draw(texts()),
        }
        values["footer"] = draw(st.sampled_from([footer, {}, {"email": footer["email"]}]))
        values["logo"] = draw(st.sampled_from(["", "logo.png", "missing-logo.png"]))
        static = {"static/logo.png": b"PNG", "static/dzjg.png": b"PNG"}
    else:
        values["base_url"] = "https://www.example.gov.cn/xxgk/"
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False), static


LEAKY_NAMES = ("report.md~", "~$报告.docx", "Thumbs.db", "desktop.ini", "old.bak", ".x.md.swp")


@st.composite
def sites(draw: st.DrawFn) -> Spec:
    # A messy site has malformed YAML, missing keys and wrong types, and fails to build;
    # the others are valid, with hostile text, names and URLs, and most of them build.
    messy = draw(st.integers(0, 3)) == 0
    config, static = draw(configs(messy))
    spec = Spec(config=config, files=dict(static))
    spec.cli = draw(st.integers(0, 4)) == 0
    if spec.cli and draw(st.booleans()):
        spec.base_url = draw(st.sampled_from(BASE_URLS))
    sub_path = base_path(spec)
    # columns: 1-3 folders, each at the top or inside an earlier one
    columns: list[tuple[str, ...]] = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(names())
        parent = draw(st.sampled_from([(), *columns]))
        path = (*parent, name)
        if path not in columns and sum(len(p.encode()) + 1 for p in path) < 900:
            columns.append(path)
    for path in columns:
        if draw(st.integers(0, 3)) > 0:
            anything = any_value() if messy else st.nothing()
            index = {
                "title": draw(st.one_of(texts(), anything)),
                "weight": draw(st.one_of(st.integers(-3, 3), anything)),
            }
            text = draw(front_matter_text(index, messy))
            spec.files[folder(path) + "/_index.md"] = text.encode()
    for number in range(draw(st.integers(1, 6))):
        column = draw(st.sampled_from(columns))
        here = folder(column)
        # files next to the report, for its attachments
        hidden = draw(st.sampled_from(["", "", "", "", "draft", "future", "expired"]))
        own = draw(st.lists(names(".pdf"), max_size=2, unique=True))
        # a hidden report's files have names of their own: no visible report shares them
        files = [f"files/{'hidden-' if hidden else ''}{number}-{n}.pdf" for n in own]
        for rel in files:
            marker = f"{LEAK}{hidden}-attachment" if hidden else "attachment"
            spec.files[f"{here}/{rel}"] = marker.encode()
        messy_report = messy and draw(st.booleans())
        values = draw(front_matter_values(files, messy_report))
        if hidden:
            values.update(visibility(hidden))
            if files:
                values["attachments"] = [{"title": "附件", "file": f} for f in files]
        body = draw(bodies(sub_path))
        if hidden:
            body += f"\n{LEAK}{hidden}-body\n"
        text = draw(front_matter_text(values, messy_report)) + "\n" + body
        name = draw(names(".md"))
        if name.startswith(("~$", ".", "#", "_")) or name.endswith("~"):
            name = "r" + name  # a backup's or lock file's name: never read as a report
        if f"{here}/{name}.md" in spec.files:  # never replace another report: its files
            name = f"{name}-{number}"  # would be left without the report that hides them
        spec.files[f"{here}/{name}.md"] = text.encode("utf-8")
        if number == 0 and draw(st.integers(0, 9)) == 0:
            spec.raw_names[f"{here}/".encode() + "报告".encode("gbk") + b".md"] = text.encode()
    leaky = draw(st.lists(st.sampled_from(LEAKY_NAMES), max_size=2, unique=True))
    for name in leaky:
        spec.files[f"{folder(columns[0])}/{name}"] = f"{LEAK}backup {name}".encode()
    if draw(st.integers(0, 5)) == 0:
        spec.links[f"{folder(columns[0])}/secret.txt"] = OUTSIDE
    if draw(st.integers(0, 9)) == 0:
        spec.links[f"{folder(columns[0])}/dangling.pdf"] = "no-such-file.pdf"
    spec.output = draw(
        st.sampled_from(
            ["out"] * 12 + ["site/output"] * 2 + ["site", "site/content", "site/content/pub"]
        )
    )
    spec.prefill = draw(st.sampled_from(["none"] * 8 + ["user", "built", "built"]))
    spec.relative = draw(st.integers(0, 4)) == 0
    spec.rebuild = not spec.cli and draw(st.integers(0, 4)) == 0
    return spec


def folder(path: tuple[str, ...]) -> str:
    return "content/" + "/".join(path)


def visibility(hidden: str) -> dict[str, object]:
    """Front matter that keeps a report out of a default build (fixed ``now``: 2024-06-01)."""
    if hidden == "draft":
        return {"draft": True}
    if hidden == "future":
        return {"date": "2099-01-01", "draft": False}
    return {"date": "2001-01-01", "expires": "2002-01-01", "draft": False}


# ---------------------------------------------------------------------------------------
# Writing the site, building it, and the file-system snapshot
# ---------------------------------------------------------------------------------------


def write_spec(root: Path, spec: Spec) -> None:
    site = root / "site"
    (site / "content").mkdir(parents=True)
    (site / "sitegen.yaml").write_text(spec.config, encoding="utf-8")
    (root / "outside").mkdir()
    (root / "outside" / "secret.txt").write_text(f"{LEAK}outside the site", encoding="utf-8")
    for rel, data in spec.files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for rel, data in spec.raw_names.items():
        path = os.path.join(os.fsencode(site), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    for rel, target in spec.links.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(root / "outside" / "secret.txt" if target == OUTSIDE else target)


def snapshot(root: Path, skip: set[Path]) -> dict[str, object]:
    """Every entry under ``root`` (files with their bytes, links with their targets),
    leaving out the folders in ``skip`` and any .sitegen-cache/."""
    found: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep = []
        for d in dirnames:
            path = here / d
            if path in skip or d == ".sitegen-cache":
                continue
            if path.is_symlink():
                found[str(path.relative_to(root))] = ("link", os.readlink(path))
            else:
                found[str(path.relative_to(root)) + "/"] = "dir"
                keep.append(d)
        dirnames[:] = keep
        for name in filenames:
            path = here / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path))
            else:
                found[rel] = path.read_bytes()
    return found


def differences(before: dict[str, object], after: dict[str, object]) -> list[str]:
    changed = [f"changed {k}" for k in before if k in after and before[k] != after[k]]
    gone = [f"removed {k}" for k in before if k not in after]
    new = [f"created {k}" for k in after if k not in before]
    return sorted(changed + gone + new)


def prefill(root: Path, spec: Spec, output: Path) -> None:
    """What was in the output folder before this build."""
    if spec.prefill == "user":
        output.mkdir(parents=True, exist_ok=True)
        (output / "thesis.docx").write_bytes(b"the user's own thesis")
    elif spec.prefill == "built" and not spec.refused:
        other = root / "previous"
        (other / "content").mkdir(parents=True)
        (other / "sitegen.yaml").write_text("title: 旧站\nsearch: false\n", encoding="utf-8")
        (other / "content" / "old.md").write_text(
            "---\ntitle: 旧报告\ndate: 2020-01-01\n---\n正文\n", encoding="utf-8"
        )
        build(BuildOptions(source=other, output=output, now=NOW, jobs=1, cache=False))


@dataclass
class Outcome:
    built: bool
    findings: list[str] = field(default_factory=list)  # what was wrong with the messages


def run_build(root: Path, spec: Spec, output: Path) -> Outcome:
    """Build in process or through the CLI. Success, or a failure with located messages,
    are the only acceptable outcomes: any exception other than BuildFailed propagates."""
    site = root / "site"
    if not spec.cli:
        options = BuildOptions(
            source=site, output=output, now=NOW, jobs=1, cache=spec.rebuild, relative=spec.relative
        )
        try:
            build(options)
        except BuildFailed as exc:
            return Outcome(False, check_problems(exc.problems))
        if not spec.rebuild:
            return Outcome(True)
        first = snapshot(output, set())
        try:
            build(options)
        except BuildFailed as exc:
            return Outcome(True, [f"[cache] the rebuild failed: {exc.problems[:3]}"])
        changed = differences(first, snapshot(output, set()))
        return Outcome(True, [f"[cache] a rebuild with nothing changed: {c}" for c in changed])
    args = ["build", "--source", str(site), "--output", str(output), "--no-cache", "--jobs", "1"]
    if spec.relative:
        args.append("--relative")
    if spec.base_url is not None:
        args += ["--base-url", spec.base_url]
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    findings = []
    if result.exit_code not in (0, 1):
        findings.append(f"[CLI] exit status {result.exit_code}")
    if "Traceback" in result.output:
        findings.append("[CLI] a traceback was printed")
    if result.exit_code == 0:
        return Outcome(True, findings)
    problems = []
    for line in result.stderr.splitlines():
        if line.startswith("error: "):
            where, _, message = line[len("error: ") :].partition(": ")
            problems.append(Problem(where, message))
    return Outcome(False, findings + check_problems(problems))


def check_problems(problems: list[Problem]) -> list[str]:
    """Each error of a failed build must say where (a path) and what."""
    if not problems:
        return ["[errors] the build failed without a message"]
    found = []
    for problem in problems:
        if not problem.path.strip() or problem.path == "None" or not problem.message.strip():
            found.append(f"[errors] an error without a path or message: {problem!r}")
        if "Traceback" in str(problem):
            found.append(f"[errors] a traceback as message: {problem}")
    return found


# ---------------------------------------------------------------------------------------
# Reading the output back
# ---------------------------------------------------------------------------------------


class StrictHTML(HTMLParser):
    """html.parser with the checks a browser forgives: every non-void element closed in
    order, no duplicate attribute, no duplicate id, no bare '&' in an attribute, no
    control character. Collects ids and the URL attributes (with whether they are in the
    Markdown body)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # tag, starts the Markdown body
        self.errors: list[str] = []
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str, bool]] = []  # tag, attribute, value, in body

    def in_body(self) -> bool:
        return any(body for _, body in self.stack)

    def starttag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        raw = self.get_starttag_text() or ""
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append(f"duplicate attribute in {raw[:120]}")
        if BARE_AMP.search(raw):
            self.errors.append(f"bare '&' in {raw[:120]}")
        values = dict(attrs)
        ident = values.get("id")
        if ident is not None:
            if ident in self.ids:
                self.errors.append(f"duplicate id {ident!r}")
            self.ids.add(ident)
        name_attr = values.get("name")
        if tag == "a" and name_attr:
            self.ids.add(name_attr)
        starts_body = ident == "report-body"
        for attr in URL_ATTRIBUTES:
            value = values.get(attr)
            if value is not None:
                self.links.append((tag, attr, value, self.in_body() or starts_body))
        srcset = values.get("srcset")
        if srcset:
            for item in srcset.split(","):
                if item.strip():
                    self.links.append((tag, "srcset", item.split()[0], self.in_body()))
        rel = values.get("rel") or ""
        if tag == "link" and "icon" in rel.split() and values.get("href") == "data:,":
            self.links.pop()  # the theme's "no icon" placeholder
        if not closed and tag not in VOID:
            self.stack.append((tag, starts_body))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starttag(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starttag(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            open_tags = [t for t, _ in self.stack[-4:]]
            self.errors.append(f"</{tag}> closes nothing open (open: {open_tags})")
            return
        self.stack.pop()


def parse_html(text: str) -> StrictHTML:
    parser = StrictHTML()
    if CONTROL.search(text):
        found = CONTROL.search(text)
        assert found is not None
        parser.errors.append(f"control character {found.group()!r}")
    parser.feed(text)
    parser.close()
    if parser.stack:
        parser.errors.append(f"unclosed elements {[t for t, _ in parser.stack]}")
    return parser


def served_url(rel: str) -> str:
    """The URL path a page of the output is served at (404.html: any missing address)."""
    if rel == "404.html":
        return "/no/such/deep/page/"
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def target_file(output: Path, path: str) -> Path | None:
    """The file a URL path (under the site root) names: index.html for folders."""
    file = output / path.lstrip("/")
    if not path.lstrip("/") or path.endswith("/") or file.is_dir():
        file = file / "index.html"
    return file if file.is_file() else None


def base_path(spec: Spec) -> str:
    """The sub-path the site is served under (from the config or --base-url)."""
    given = spec.base_url if spec.cli and spec.base_url is not None else None
    base = given if given is not None else yaml.safe_load(spec.config).get("base_url")
    path = "/" + urlsplit(base or "").path.strip("/") + "/"
    return path.replace("//", "/")


def check_link(
    output: Path, pages: dict[str, StrictHTML], rel: str, link: tuple, base: str
) -> str | None:
    """Why one href/src of page ``rel`` is wrong, or None when it is safe and resolves."""
    tag, attr, value, in_body = link
    # what a browser does first: strip C0 controls and spaces, drop tabs and line ends
    cleaned = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21)))))
    scheme = SCHEME.match(cleaned)
    if scheme:  # browsers read 'c:d/' as the scheme 'c', not as a relative path
        if scheme.group(1).lower() in SAFE_SCHEMES:
            return None
        return None if in_body else f"unsafe scheme: <{tag} {attr}={value!r}>"
    if in_body and NOWHERE in value:
        return None
    here = quote(base + served_url(rel).lstrip("/"))
    resolved = urljoin(SERVER + here, cleaned)
    parts = urlsplit(resolved)
    fragment = unquote(parts.fragment)
    if parts.path == here and not parts.query:  # this very page (also 404.html)
        if fragment and fragment not in pages[rel].ids:
            return f"no id {fragment!r} on this page: <{tag} {attr}={value!r}>"
        return None
    quoted_base = quote(base)
    if f"{parts.scheme}://{parts.netloc}" != SERVER or not parts.path.startswith(quoted_base):
        return f"leaves the site: <{tag} {attr}={value!r}> → {resolved}"
    path = "/" + unquote(parts.path[len(quoted_base) :])
    file = target_file(output, path)
    if file is None:
        return f"does not resolve: <{tag} {attr}={value!r}> → {path}"
    if fragment and file.suffix == ".html":
        target = file.relative_to(output).as_posix()
        if target in pages and fragment not in pages[target].ids:
            return f"no id {fragment!r} in {target}: <{tag} {attr}={value!r}>"
    return None


def is_encoded_url(url: str) -> bool:
    """An absolute http(s) URL with every character outside ASCII percent-encoded."""
    parts = urlsplit(url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.netloc)
        and re.fullmatch(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", url) is not None
    )


def check_xml(file: Path, rel: str) -> list[str]:
    try:
        tree = ET.fromstring(file.read_bytes())
    except ET.ParseError as exc:
        return [f"[XML] {rel} is not well-formed: {exc}"]
    found = []
    for element in tree.iter():
        local = element.tag.rsplit("}", 1)[-1]
        urls_here = []
        if local in ("loc", "id") and element.text:
            urls_here.append(element.text.strip())
        if local == "link" and element.get("href"):
            urls_here.append(element.get("href", ""))
        found += [
            f"[URLs] {rel}: <{local}> {url!r} is not a percent-encoded absolute URL"
            for url in urls_here
            if not is_encoded_url(url)
        ]
    return found


def check_output(spec: Spec, output: Path) -> list[str]:
    """What is wrong with a built output folder (every finding, not just the first)."""
    found: list[str] = []
    files = sorted(p for p in output.rglob("*") if p.is_file())
    pages: dict[str, StrictHTML] = {}
    seen: dict[str, str] = {}
    for file in files:
        rel = file.relative_to(output).as_posix()
        if rel.casefold() in seen:  # one file on Windows, macOS and case-blind storage
            found.append(f"[output] {seen[rel.casefold()]} and {rel} differ only by case")
        seen[rel.casefold()] = rel
    for file in files:
        data = file.read_bytes()
        rel = file.relative_to(output).as_posix()
        leak = re.search(rb"LEAK-([\w ~$.]+)", data)
        if leak:
            found.append(f"[leak] {leak.group(1).decode(errors='replace')} published as {rel}")
        if file.suffix == ".html":
            parser = parse_html(data.decode("utf-8", errors="replace"))
            found += [f"[HTML] {rel}: {error}" for error in parser.errors]
            pages[rel] = parser
        elif file.suffix == ".xml":
            found += check_xml(file, rel)
    base = base_path(spec)
    for rel, parser in pages.items():
        for tag, attr, value, in_body in parser.links:
            problem = check_link(output, pages, rel, (tag, attr, value, in_body), base)
            if problem:
                found.append(f"[URLs] {rel}: {problem}")
            if tag == "link" and attr == "href" and "://" in value and not is_encoded_url(value):
                found.append(f"[URLs] {rel}: <link href={value!r}> is not percent-encoded")
    return found


def check_site(spec: Spec) -> list[str]:
    """Write the site, build it, and return what breaks a promise. A traceback from the
    build (in process or through the CLI) is raised as it is."""
    with tempfile.TemporaryDirectory(prefix="sitegen-prop-") as tmp:
        root = Path(tmp)
        write_spec(root, spec)
        output = root / spec.output
        prefill(root, spec, output)
        skip = {output} if not spec.refused else set()
        before = snapshot(root, skip)
        before_output = snapshot(output, set()) if output.is_dir() else {}
        outcome = run_build(root, spec, output)
        if outcome.built and spec.refused:
            return [f"[output] built into {spec.output}, which must be refused"]
        found = list(outcome.findings)
        changed = differences(before, snapshot(root, skip))
        found += [f"[output] outside the output folder: {change}" for change in changed]
        if not outcome.built:
            after_output = snapshot(output, set()) if output.is_dir() else {}
            changed = differences(before_output, after_output)
            found += [f"[output] a failed build changed the output: {c}" for c in changed]
            return found
        if spec.prefill == "user" and not (output / "thesis.docx").is_file():
            found.append("[output] the user's own file in the output folder was removed")
        return found + check_output(spec, output)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(sites())
def test_random_sites_build_safely(spec: Spec) -> None:
    findings = check_site(spec)
    assert not findings, "\n".join(findings[:20])
