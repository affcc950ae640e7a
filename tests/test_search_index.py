"""The search index finds exactly the report pages that contain the query (包含).

Truth is computed here from the built HTML (title and the text of the report body, read
with BeautifulSoup) and the model's front-matter fields (信息来源, 文号, keywords,
attachment titles), normalised with NFKC and case folding; the index is asked through
generator.search_query, the Python port of the browser's query logic. Queries: 2–8
character terms cut from the texts at random positions (fixed seed), single characters,
Latin words and numbers, 文号, two-word queries, upper case and nonsense.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from sitegen_testkit import NOW, ROOT, build_into, copy_sample, snapshot

from generator import search, search_index
from generator.build import BuildOptions, load_site
from generator.errors import Diagnostics
from generator.search_index import FORMAT, DocInput, build_shard, covering_tokens
from generator.search_query import SearchIndex, in_column

BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
NONSENSE = ["zzqxjw不存在的词语qq", "zzqqxx", "灌南县zzq", "行政复议 zzqxjw"]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


def visible(node: Tag) -> str:
    """Text of an element; block elements separate words, inline ones do not."""
    out: list[str] = []
    for child in node.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            out.append(str(child))
        elif isinstance(child, Tag) and child.name not in ("script", "style", "template", "svg"):
            block = child.name in BLOCKS
            out.append(" " if block else "")
            out.append(visible(child))
            out.append(" " if block else "")
    return "".join(out)


@dataclass
class Truth:
    url: str
    order: int  # position among the site's reports (newest first)
    column: str
    year: str
    title: str  # normalised
    text: str  # normalised searchable text


def truths(source: Path, output: Path) -> list[Truth]:
    site, _theme = load_site(BuildOptions(source=source, now=NOW), Diagnostics())
    found = []
    for order, report in enumerate(site.reports):
        html = (output / report.url.strip("/") / "index.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        title = soup.select_one("h1.report-title").get_text()
        assert title == report.title
        body = visible(soup.find(id="report-body"))
        fields = [
            report.source_org,
            report.disclosure.get("doc_no", ""),
            *report.keywords,
            *(a.title for a in report.attachments),
        ]
        text = "\n".join(norm(part) for part in [title, body, *fields] if part)
        column = "/".join(report.column)
        found.append(Truth(report.url, order, column, str(report.date.year), norm(title), text))
    return found


def occurrences(text: str, word: str) -> int:
    count, at = 0, text.find(word)
    while at >= 0:
        count, at = count + 1, text.find(word, at + 1)
    return count


def expected(docs: list[Truth], query: str) -> list[str]:
    """URLs of the pages containing every word, in the promised order."""
    words = list(dict.fromkeys(norm(query).split()))
    hits = [d for d in docs if words and all(w in d.text for w in words)]

    def rank(d: Truth) -> tuple:
        in_title = sum(1 for w in words if w in d.title)
        return (-in_title, -sum(occurrences(d.text, w) for w in words), d.order)

    return [d.url for d in sorted(hits, key=rank)]


def queries(docs: list[Truth], seed: int, terms: int) -> list[str]:
    rng = random.Random(seed)
    found: list[str] = []
    while len(found) < terms:
        doc = rng.choice(docs)
        length = rng.randint(2, 8)
        start = rng.randrange(0, max(1, len(doc.text) - length))
        term = doc.text[start : start + length]
        if len(term) >= 2 and not re.search(r"\s", term):
            found.append(term)
    chars = sorted({c for d in docs for c in d.text if not c.isspace()})
    found += rng.sample(chars, min(30, len(chars)))
    latin = sorted({w for d in docs for w in re.findall(r"[a-z0-9][a-z0-9.%-]*", d.text)})
    found += rng.sample(latin, min(20, len(latin)))
    found += [f"{found[i]} {found[i + 1]}" for i in range(0, 20, 2)]  # two words
    found += [q.upper() for q in latin[:5]]  # case folding
    found += ["行政复议", "复议", "营商环境", "法", "2020", "12345", "灌政发〔2021〕12号"]
    found += NONSENSE
    return found


def check_recall(docs: list[Truth], index: SearchIndex, query_list: list[str]) -> None:
    wrong = []
    for query in query_list:
        got = [index.url(h) for h in index.hits(query)]
        want = expected(docs, query)
        if got != want:
            missing = sorted(set(want) - set(got))
            extra = sorted(set(got) - set(want))
            wrong.append(f"{query!r}: missing {missing[:3]}, extra {extra[:3]}")
    assert not wrong, f"{len(wrong)} of {len(query_list)} queries wrong:\n" + "\n".join(wrong[:20])


Sample = tuple[list[Truth], SearchIndex, Path]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    source = copy_sample(tmp_path_factory.mktemp("search-sample") / "site")
    output = source.parent / "out"
    build_into(source, output)
    return truths(source, output), SearchIndex(output / "searchindex"), output


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated corpus of 300 reports (search on), built once."""
    source = tmp_path_factory.mktemp("search-corpus") / "site"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "make_corpus.py"),
            "--n",
            "300",
            "--out",
            source,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    output = source.parent / "out"
    build_into(source, output, jobs=2)
    return source, output


def built_again(source: Path, output: Path) -> tuple[list[Truth], SearchIndex]:
    """The corpus built into ``output`` (with the settings the test has patched)."""
    build_into(source, output, jobs=2)
    return truths(source, output), SearchIndex(output / "searchindex")


def test_issue_queries_on_the_sample_site(sample: Sample) -> None:
    docs, index, _output = sample
    counts = {
        q: len(index.hits(q)) for q in ("行政复议", "复议", "营商环境", "zzqxjw不存在的词语qq")
    }
    assert counts == {q: len(expected(docs, q)) for q in counts}
    assert counts["行政复议"] == counts["复议"] >= 4
    assert counts["营商环境"] >= 2
    assert counts["zzqxjw不存在的词语qq"] == 0
    doc_no = "灌政发〔2021〕12号"
    assert expected(docs, doc_no), "the sample has a report with this 文号"
    assert [index.url(h) for h in index.hits(doc_no)] == expected(docs, doc_no)


def test_recall_precision_and_order_on_the_sample_site(sample: Sample) -> None:
    docs, index, _output = sample
    check_recall(docs, index, queries(docs, seed=11, terms=120))


def test_recall_precision_and_order_on_a_generated_corpus(corpus: tuple[Path, Path]) -> None:
    source, output = corpus
    docs = truths(source, output)
    assert len(docs) > 250  # (a few are drafts or dated after NOW)
    check_recall(docs, SearchIndex(output / "searchindex"), queries(docs, seed=7, terms=150))


def test_filters_select_every_match_of_their_column_and_year(sample: Sample) -> None:
    docs, index, _output = sample
    hits = index.hits("法")
    matching = [d for d in docs if "法" in d.text]
    for column in {d.column for d in docs} | {d.column.split("/")[0] for d in docs}:
        got = {index.url(h) for h in hits if in_column(h.column, column)}
        assert got == {d.url for d in matching if in_column(d.column, column)}, column
    for year in {d.year for d in docs}:
        got = {index.url(h) for h in hits if h.year == year}
        assert got == {d.url for d in matching if d.year == year}, year


def test_two_builds_give_the_same_index(sample: Sample, tmp_path: Path) -> None:
    _docs, _index, output = sample
    again = tmp_path / "again"
    build_into(ROOT, again, cache=False)
    assert snapshot(again / "searchindex") == snapshot(output / "searchindex")


@pytest.mark.parametrize("shard_reports", [search.SHARD_REPORTS, 8], ids=["years", "months"])
def test_one_edit_rebuilds_only_its_shard(
    corpus: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shard_reports: int
) -> None:
    """With year shards (the corpus is small) and with shards of a few months (at most 8
    reports each): after one report is edited only the files of its shard change (and
    meta.json and the first file, index), and the index is the same as a clean
    build's."""
    monkeypatch.setattr(search, "SHARD_REPORTS", shard_reports)
    source = Path(shutil.copytree(corpus[0], tmp_path / "site"))
    output = tmp_path / "out"
    build_into(source, output, jobs=1)
    before = snapshot(output / "searchindex")
    meta = json.loads(before["meta.json"])
    names = [s["name"] for s in meta["shards"]]
    assert names == sorted(names, reverse=True)
    counts = [s["n"] for s in meta["shards"]]
    if shard_reports == 8:
        assert sum("-" in name for name in names) > len(names) // 2 and max(counts) <= 8
    else:
        assert all(name.isdigit() for name in names)
    assert all(s["y"] == s["name"][:4] for s in meta["shards"])
    site, _theme = load_site(BuildOptions(source=source, now=NOW), Diagnostics())
    report = site.reports[len(site.reports) // 2]
    path = Path(report.file)
    path.write_text(
        path.read_text(encoding="utf-8") + "\n\n新增段落：独一无二的测试词语甲乙丙。\n",
        encoding="utf-8",
    )
    build_into(source, output, jobs=1)
    after = snapshot(output / "searchindex")
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed, "the edit changed nothing in the index"
    folders = {k.split("/")[0] for k in changed if k not in ("meta.json", "index")}
    assert len(folders) == 1, f"files of several shards changed: {sorted(folders)}"
    index = SearchIndex(output / "searchindex")
    hits = index.hits("独一无二的测试词语甲乙丙")
    assert [index.url(h) for h in hits] == [report.url]
    assert [index.meta["shards"][h.shard]["name"] for h in hits] == list(folders)
    assert hits[0].year == str(report.date.year)
    clean = tmp_path / "clean"
    build_into(source, clean, cache=False, jobs=1)
    assert snapshot(clean / "searchindex") == after


def test_shards_of_a_few_months_find_exactly_and_filter_by_year(
    corpus: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "SHARD_REPORTS", 5)
    docs, index = built_again(corpus[0], tmp_path / "out")
    assert len(index.shards) > 2 * len({d.year for d in docs})
    check_recall(docs, index, queries(docs, seed=5, terms=60))
    hits = index.hits("法")
    for year in {d.year for d in docs}:
        got = {index.url(h) for h in hits if h.year == year}
        assert got == {d.url for d in docs if "法" in d.text and d.year == year}, year


def test_shard_period_is_the_longest_that_keeps_every_shard_small(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search, "SHARD_REPORTS", 3)
    assert search.shard_period([]) == 12
    assert search.shard_period([(2020, 1), (2020, 2), (2020, 3), (2021, 1)]) == 12
    assert search.shard_period([(2020, m) for m in (1, 2, 3, 12)]) == 6
    assert search.shard_period([(2020, m) for m in (1, 2, 5, 6, 9, 10, 11)]) == 4
    assert search.shard_period([(2020, m) for m in (1, 1, 2, 2, 3, 3)]) == 1
    assert search.shard_period([(2020, 1)] * 4) == 1  # a month is never split
    assert [search.shard_name(2020, m, p) for m, p in ((12, 12), (12, 6), (5, 4), (4, 4))] == [
        "2020",
        "2020-07",
        "2020-05",
        "2020-01",
    ]


def test_long_reports_use_wide_numbers_and_are_still_found_exactly(tmp_path: Path) -> None:
    """Texts longer than 65,535 characters (4-byte numbers) and a pair whose positions are
    more than 65,535 apart (4-byte gaps): counts and first positions stay exact."""
    texts = ["甲乙" + "丙" * 70_000 + "甲乙丁", "乙甲" + "戊" * 10 + "甲乙丁甲乙"]
    docs = []
    for n, text in enumerate(texts):
        page = tmp_path / f"p{n}.html"
        page.write_text(f'<html><div id="report-body"><p>{text}</p></div></html>', "utf-8")
        docs.append(DocInput(f"/r{n}/", str(page), f"标题{n}", [], 0, "2020-01-0{n + 1}"))
    name, entry, files = build_shard(None, ("2020", docs))
    assert entry["w"] == 4
    folder = tmp_path / "searchindex"
    for rel, data in files.items():
        (folder / name / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / name / rel).write_bytes(data)
    meta = {"v": FORMAT, "columns": [["", "首页"]], "shards": [entry]}
    first = search.first_file(json.dumps(meta).encode(), search.joined_tables([files["d"]]))
    (folder / "index").write_bytes(first)
    index = SearchIndex(folder)
    for query in ("甲乙", "甲乙丁", "乙甲", "丙", "丁甲乙", "丙丙丙甲乙"):
        truth = [f"/r{n}/" for n in (0, 1) if query in texts[n]]
        truth.sort(key=lambda url: -occurrences(texts[int(url[2])], query))
        assert [index.url(h) for h in index.hits(query)] == truth, query
    shard = index.shards[0]
    assert shard.match("甲乙丁") == {0: (1, len("标题0\n") + 70_002), 1: (1, len("标题1\n") + 12)}


@pytest.mark.parametrize("frequent", [1, 12, 200])
def test_longer_tokens_of_frequent_strings_find_exactly(
    corpus: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frequent: int
) -> None:
    """With a low threshold most strings are frequent, so words are looked up by tokens of
    three to six characters (and by frequent ones where nothing longer exists): results,
    counts and order stay exactly those of the texts."""
    monkeypatch.setattr(search_index, "FREQUENT", frequent)
    monkeypatch.setattr(search, "SHARD_REPORTS", 60)
    docs, index = built_again(corpus[0], tmp_path / "out")
    longest = max(len(t) for shard in index.shards for t in shard.frequent)
    assert longest == search_index.LONGEST - 1
    covers = [
        covering_tokens(q, shard.frequent)
        for shard in index.shards
        for q in ("行政复议", "法治政府建设", "营商环境", "受理法律服务")
    ]
    assert any(len(token) > 2 for cover in covers for token, _o in cover)
    check_recall(docs, index, queries(docs, seed=frequent, terms=120))


def test_a_word_is_covered_by_the_fewest_tokens_and_fewest_frequent_ones() -> None:
    assert covering_tokens("法", set()) == [("法", 0)]
    assert covering_tokens("行政复议", set()) == [("行政", 0), ("复议", 2)]
    assert covering_tokens("行政复", set()) == [("行政", 0), ("政复", 1)]
    # 行政 is frequent: 行政复 is a token; 复议 covers the rest
    assert covering_tokens("行政复议", {"行政"}) == [("行政复", 0), ("复议", 2)]
    # every string frequent: the fewest frequent tokens
    frequent = {"法治", "治政", "政府", "法治政", "治政府", "法治政府"}
    assert covering_tokens("法治政府", frequent) == [("法治政府", 0)]
    assert covering_tokens("法治政府建设", frequent) == [("法治政府建", 0), ("建设", 4)]
    # a frequent word at the end: the string before it, one character longer, is a token
    assert covering_tokens("依法行政工作", {"依法", "工作"}) == [("依法行", 0), ("政工作", 3)]
    # any cover holds every character: the tokens' spans reach from 0 to the end
    rng = random.Random(3)
    for _ in range(300):
        word = "".join(rng.choice("甲乙丙丁") for _ in range(rng.randint(2, 9)))
        subs = {word[i:j] for i in range(len(word)) for j in range(i + 2, len(word))}
        cover = covering_tokens(word, set(rng.sample(sorted(subs), len(subs) // 2)))
        assert cover[0][1] == 0
        covered = set()
        for token, at in cover:
            assert word[at : at + len(token)] == token
            covered |= set(range(at, at + len(token)))
        assert covered == set(range(len(word)))


def test_other_code_makes_every_shard_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shards' keys hold the code digest: an upgraded sitegen (or zlib) does not keep
    an index made by other code, while the same code keeps every shard."""
    source = copy_sample(tmp_path / "site")
    output = tmp_path / "out"
    build_into(source, output)

    def keys() -> dict[str, str]:
        meta = json.loads((output / "searchindex" / "meta.json").read_text(encoding="utf-8"))
        return {s["name"]: s["key"] for s in meta["shards"]}

    first = keys()
    build_into(source, output, cache=False)  # the page cache off: the index step runs
    assert keys() == first
    monkeypatch.setattr(search, "code_digest", lambda: "another version of sitegen")
    build_into(source, output, cache=False)
    assert keys().keys() == first.keys()
    assert all(keys()[name] != key for name, key in first.items())


def test_body_blocks_cut_where_normalising_the_parts_is_normalising_the_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Random bodies of ideographs, ASCII, white space, combining marks and characters NFKC
    makes longer or joins: the blocks normalised and joined are the body normalised, each
    block starting where the normalised prefix says. Where two ideographs follow each
    other at least every ten characters (as in Chinese text), block k starts at normalised
    position k × BLOCK or before, and the block q // BLOCK (the last if there are fewer)
    holds position q, within the OVERLAP its text file repeats."""
    monkeypatch.setattr(search_index, "BLOCK", 50)
    pool = [
        *"行政复议法治营商环境abcXY019,.;",
        " ", "  ", "\n", "\u3000", "…", "㈠", "，", "。", "\u0301", "e\u0301", "ß", "ﬁ", "한",
        "\u1161", "①", "ｶ", "\u3099", "が", "\xa0",
    ]  # fmt: skip
    rng = random.Random(5)
    for n in range(4_000):
        chinese = n % 2 == 0
        size = rng.choice([0, 1, 49, 50, 51, 120, 400])
        if chinese:  # runs of up to 8 of anything, then two ideographs
            parts = [
                "".join(rng.choices(pool, k=rng.randint(0, 8))) + "法治" for _ in range(size // 5)
            ]
            body = "".join(parts)
        else:
            body = "".join(rng.choices(pool, k=size))
        normalised, cuts, starts = search_index.body_blocks(body)
        assert normalised == search_index.normalise(body), repr(body)
        assert cuts[0] == starts[0] == 0 and cuts == sorted(set(cuts))
        for cut, start in zip(cuts, starts, strict=True):
            assert start == len(search_index.normalise(body[:cut]))
        if not chinese:
            continue
        assert all(start <= k * 50 for k, start in enumerate(starts)), repr(body)
        ends = [*cuts[1:], len(body)]
        held = [len(search_index.normalise(body[: end + search_index.OVERLAP])) for end in ends]
        for q in range(len(normalised)):
            k = min(q // 50, len(cuts) - 1)
            assert starts[k] <= q < held[k], (repr(body), q)


def test_nfkc_between_ideographs_is_nfkc() -> None:
    """Leaving the runs of CJK ideographs alone changes nothing: random strings of
    ideographs, ASCII, combining marks, kana voicing marks, Hangul jamo and syllables,
    full-width and other compatibility characters."""
    pool = [chr(c) for c in range(0x20, 0x7F)] + [
        chr(c)
        for c in (0x301, 0x308, 0x323, 0x327, 0x3099, 0x309A, 0xFF0C, 0xFF21, 0xFF41, 0x2460,
                  0xFB01, 0x1100, 0x1161, 0x11A8, 0xAC00, 0x304B, 0x30AB, 0x3000, 0x2F00, 0xF900,
                  0x4E00, 0x6CD5, 0x884C, 0x9FFF, 0xA0, 0xE9, 0x212B, 0x1E9B, 0x2028, 0x1F1E6)
    ]  # fmt: skip
    rng = random.Random(9)
    for _ in range(20_000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 14)))
        assert search_index.nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)
