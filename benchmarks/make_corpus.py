"""Generate a deterministic benchmark corpus for sitegen.

Usage: ``python benchmarks/make_corpus.py --n 1000 --out /tmp/bench [--seed 0] [--shape laws]``

Writes ``sitegen.yaml``, column ``_index.md`` files and N Markdown documents. The
``reports`` shape (the default): reports of 2–20 KB assembled from the sentences of a
seed government report. The ``laws`` shape: laws and regulations of 15–300 KB with
chapters, sections, articles and items (see ``laws.py``). Only ``random.Random(seed)``
is used, so the same N, seed and shape give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import laws  # beside this script

DEFAULT_SEED_TEXT = Path(__file__).resolve().parents[2] / "shared/seeds/000_9d2bd32def51befe.txt"
# The same report as the sample site's Markdown, used where the shared seed is not beside
# the checkout (a clone elsewhere).
SAMPLE_REPORT = Path(__file__).resolve().parents[1] / "content/xwzx/gsgg/2020-fzzf-report.md"
SITE_YAML = "title: 基准测试站点\nbase_url: https://bench.example.gov.cn/\n"
COLUMNS = [  # (path, title, description); weight is the position in this list
    ("gsgg", "公示公告", "依法需要向社会公示的事项"),
    ("ywdt", "要闻动态", "本地政务要闻与重要工作动态"),
    ("bmdt", "部门动态", "县直各部门工作动态"),
    ("xzdt", "乡镇动态", "各镇、园区工作动态"),
    ("zcwj", "政策文件", "规范性文件与政策解读"),
    ("tzgg", "通知公告", "各类通知与公告"),
    ("mtjj", "媒体聚焦", "各级媒体相关报道"),
    ("zwgk", "政务公开", "政府信息公开专栏"),
    ("zwgk/ndbg", "年度报告", "法治政府建设等法定年度报告"),
]
LEAF_COLUMNS = [c[0] for c in COLUMNS if c[0] != "zwgk"]
LAW_COLUMNS = [
    ("flfg", "法律法规", "法律、法规、规章和规范性文件"),
    ("flfg/dfxfg", "地方性法规", "市、县人民代表大会及其常务委员会制定的地方性法规"),
    ("flfg/zfgz", "政府规章", "人民政府制定的规章"),
    ("flfg/gfxwj", "规范性文件", "行政规范性文件"),
    ("zcjd", "政策解读", "法规、规章和政策文件的解读"),
]
LAW_LEAVES = [c[0] for c in LAW_COLUMNS if c[0] != "flfg"]
SHAPES = ("reports", "laws")
SERIES = [  # (series name, title core); at most one report per year per series
    ("法治政府建设年度报告", "法治政府建设工作报告"),
    ("政府信息公开工作年度报告", "政府信息公开工作年度报告"),
    ("安全生产工作年度报告", "安全生产工作报告"),
    ("优化营商环境年度报告", "优化营商环境工作报告"),
]


def words(text: str) -> list[str]:
    return text.split()


BUREAUS = words(
    "人民政府办公室 司法局 发展和改革委员会 财政局 生态环境局 应急管理局 市场监督管理局 "
    "行政审批局 人力资源和社会保障局 住房和城乡建设局 交通运输局 卫生健康委员会"
)
KINDS = words("工作情况报告 工作总结 进展情况通报 专项工作报告 工作要点")
KEYWORDS = words(
    "法治政府 依法行政 行政审批 营商环境 安全生产 政务公开 "
    "行政执法 普法 社会治理 公共法律服务 行政复议 信用体系"
)
METRICS = words(
    "办理行政审批事项（项） 受理法律服务（件） 化解矛盾纠纷（起） 办理行政复议案件（件） "
    "执法人员培训（人次） 主动公开政府信息（条） 开展普法活动（场）"
)
YEARS = range(2008, 2025)
MIN_BODY, MAX_BODY = 2048, 20480
NUM = "一二三四五六七八九十"
H1_RE = re.compile(rf"^[{NUM}]+、(.+)$")
H2_RE = re.compile(rf"^[(（][{NUM}]+[)）](.+)$")
LEAD_RE = re.compile(rf"^[{NUM}]+是(.{{2,40}}?)。$")
SENT_RE = re.compile(r"[^。！？]+[。！？]")


def cn_num(n: int) -> str:
    """Chinese numeral for 1 <= n <= 99 (一, 十二, 二十三, ...)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones or not head else "")


def load_pools(path: Path) -> tuple[list[str], list[str], list[str]]:
    """Split the seed into heading phrases, run-in lead phrases (一是…) and sentences."""
    heads: list[str] = []
    leads: list[str] = []
    sents: list[str] = []
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":  # Markdown: drop the front matter, heading marks and bold
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        text = re.sub(r"^#+\s*|\*\*", "", text, flags=re.M)
    for line in text.splitlines():
        line = line.strip()
        if m := H1_RE.match(line):
            heads.append(m.group(1).rstrip("。"))
            continue
        if m := H2_RE.match(line):  # "(一)标题" or "(一)标题。正文……"
            head, _, line = m.group(1).partition("。")
            heads.append(head)
        for s in (s.strip() for s in SENT_RE.findall(line)):
            if m := LEAD_RE.match(s):
                leads.append(m.group(1))
            elif len(s) >= 8 and not re.search(rf"[{NUM}]是", s):
                sents.append(s)
    heads, leads, sents = (list(dict.fromkeys(x)) for x in (heads, leads, sents))
    if len(heads) < 2 or len(sents) < 10:
        sys.exit(f"make_corpus: seed text {path} has too few headings or sentences")
    return heads, leads or heads, sents


def deck(rng: random.Random, items: list[str]) -> Iterator[str]:
    """Yield items in shuffled rounds, so repeats within one report are rare."""
    while True:
        yield from rng.sample(items, len(items))


def run(rng: random.Random, sents: list[str], lo: int, hi: int) -> str:
    k = rng.randint(lo, hi)
    i = rng.randrange(len(sents) - k + 1)
    return "".join(sents[i : i + k])


def table(rng: random.Random, year: int) -> str:
    rows = [f"| 指标 | {year - 1}年 | {year}年 | 同比增减 |", "| --- | ---: | ---: | ---: |"]
    for metric in rng.sample(METRICS, rng.randint(3, 5)):
        a = rng.randint(10, 5000)
        b = max(1, round(a * rng.uniform(0.7, 1.4)))
        rows.append(f"| {metric} | {a} | {b} | {(b - a) / a * 100:+.1f}% |")
    return "主要工作指标完成情况如下表所示：\n\n" + "\n".join(rows)


def bullets(items: list[str]) -> str:
    last = len(items) - 1
    lines = [f"- {x}{'。' if i == last else '；'}" for i, x in enumerate(items)]
    return "重点推进以下工作：\n\n" + "\n".join(lines)


def make_body(rng: random.Random, pools: tuple[list[str], ...], year: int) -> str:
    """Intro, ## 一、 sections, ### （一） subsections, **一是…。** paragraphs, table, list."""
    heads, leads, sents = pools
    head_deck, sub_deck, lead_deck = deck(rng, heads), deck(rng, heads + leads), deck(rng, leads)
    target = min(max(rng.lognormvariate(8.99, 0.55), MIN_BODY + 300), MAX_BODY - 1500)
    want_table, want_list = rng.random() < 0.4, rng.random() < 0.5
    blocks = [run(rng, sents, 2, 4)]
    size = len(blocks[0].encode())
    h1 = h2 = lead = 0
    while size < target:
        if h1 == 0 or (h2 >= 2 and lead >= 2 and rng.random() < 0.25):
            h1, h2, lead = h1 + 1, 0, 0
            block = f"## {cn_num(h1)}、{next(head_deck)}"
        elif h2 == 0 or (lead >= 2 and rng.random() < 0.35):
            h2, lead = h2 + 1, 0
            block = f"### （{cn_num(h2)}）{next(sub_deck)}"
        elif want_table and lead >= 1 and rng.random() < 0.3:
            want_table, block = False, table(rng, year)
        elif want_list and lead >= 1 and rng.random() < 0.3:
            want_list, block = False, bullets([next(lead_deck) for _ in range(rng.randint(3, 5))])
        else:
            lead += 1
            block = f"**{cn_num(lead)}是{next(lead_deck)}。**" + run(rng, sents, 2, 5)
        if size + len(block.encode()) + 2 > MAX_BODY:
            break
        blocks.append(block)
        size += len(block.encode()) + 2
    return "\n\n".join(blocks) + "\n"


def random_date(rng: random.Random, first: int, last: int) -> dt.date:
    lo, hi = dt.date(first, 1, 1).toordinal(), dt.date(last, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(lo, hi))


def front_matter(meta: dict[str, object]) -> str:
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{dumped}---\n"


def write(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.write_bytes(text.encode("utf-8"))


def write_columns(content: Path, columns: list[tuple[str, str, str]]) -> list[int]:
    sizes = []
    for weight, (col, title, desc) in enumerate(columns, start=1):
        index = front_matter({"title": title, "description": desc, "weight": weight})
        sizes.append(write(content / col / "_index.md", index))
    return sizes


def write_reports(
    content: Path, n: int, rng: random.Random, pools: tuple[list[str], ...]
) -> list[int]:
    slots = [(s, y) for s in SERIES for y in YEARS]
    rng.shuffle(slots)
    titles: set[str] = set()
    report_sizes: list[int] = []
    for i in range(n):
        slug, source = f"r{i:06d}", "灌南县" + rng.choice(BUREAUS)
        series = slots.pop() if slots and rng.random() < 0.2 else None
        if series:
            (name, core), year = series
            date, col = random_date(rng, year, year), "zwgk/ndbg"
            title = f"灌南县人民政府{year}年度{core}"
        else:
            date, col = random_date(rng, YEARS[0], YEARS[-1]), rng.choice(LEAF_COLUMNS)
            for _ in range(20):
                title = f"{source}{date.year}年{rng.choice(pools[1])}{rng.choice(KINDS)}"
                if title not in titles:
                    break
            else:
                title = f"{title}（{slug}）"
        titles.add(title)
        meta: dict[str, object] = {"title": title, "date": date, "source": source, "slug": slug}
        if series:
            meta |= {"series": name, "year": year}
        if rng.random() < 0.5:
            meta["keywords"] = rng.sample(KEYWORDS, rng.randint(2, 5))
        if rng.random() < 0.4:
            meta["summary"] = rng.choice(pools[2])
        text = front_matter(meta) + "\n" + make_body(rng, pools, date.year)
        report_sizes.append(write(content / col / f"{slug}.md", text))
    return report_sizes


def write_laws(
    content: Path, n: int, rng: random.Random, pools: tuple[list[str], ...]
) -> list[int]:
    """N laws and regulations (slugs ``r000000``…, as the reports: run.py edits ``r*.md``)."""
    clauses = laws.Clauses(rng, pools[2])
    topics = [h for h in pools[0] + pools[1] if 2 <= len(h) <= 14]
    titles: set[str] = set()
    sizes: list[int] = []
    for i in range(n):
        slug, publisher = f"r{i:06d}", rng.choice(laws.BODIES)
        date, col = random_date(rng, YEARS[0], YEARS[-1]), rng.choice(LAW_LEAVES)
        title = laws.law_title(rng, rng.choice(topics))
        if title in titles:
            title = (
                f"{title}（{cn_num(i % 99 + 1)}）"
                if f"{title}（{cn_num(i % 99 + 1)}）" not in titles
                else f"{title}（{slug}）"
            )
        titles.add(title)
        meta: dict[str, object] = {
            "title": title,
            "date": date,
            "source": publisher,
            "slug": slug,
            "publisher": publisher,
            "doc_no": f"灌政规〔{date.year}〕{rng.randint(1, 30)}号",
            "validity": "有效",
        }
        if rng.random() < 0.5:
            meta["keywords"] = rng.sample(KEYWORDS, rng.randint(2, 4))
        body = laws.law_body(rng, clauses, laws.law_size(rng), date.year)
        sizes.append(write(content / col / f"{slug}.md", front_matter(meta) + "\n" + body))
    return sizes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a deterministic sitegen benchmark corpus.")
    ap.add_argument("--n", type=int, required=True, help="number of reports")
    ap.add_argument("--out", type=Path, required=True, help="site directory to write")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--shape", choices=SHAPES, default="reports", help="reports (default) or laws")
    ap.add_argument("--seed-text", type=Path, default=DEFAULT_SEED_TEXT, help="seed report text")
    ap.add_argument("--force", action="store_true", help="replace an existing DIR/content")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("--n must be >= 1")
    if not args.seed_text.is_file() and args.seed_text == DEFAULT_SEED_TEXT:
        args.seed_text = SAMPLE_REPORT
    if not args.seed_text.is_file():
        sys.exit(f"make_corpus: seed text not found: {args.seed_text} (use --seed-text PATH)")
    content = args.out / "content"
    if content.exists():
        if not args.force:
            sys.exit(f"make_corpus: {content} already exists (use --force to replace it)")
        shutil.rmtree(content)
    pools = load_pools(args.seed_text)
    rng = random.Random(args.seed)

    sizes = [write(args.out / "sitegen.yaml", SITE_YAML)]
    if args.shape == "laws":
        sizes += write_columns(content, LAW_COLUMNS)
        report_sizes = write_laws(content, args.n, rng, pools)
    else:
        sizes += write_columns(content, COLUMNS)
        report_sizes = write_reports(content, args.n, rng, pools)
    sizes += report_sizes
    median_kb = statistics.median(report_sizes) / 1024
    print(
        f"make_corpus: {len(sizes)} files ({args.n} {args.shape}) in {args.out}, "
        f"{sum(sizes) / 1e6:.2f} MB total, median {median_kb:.1f} KB, "
        f"largest {max(report_sizes) / 1024:.0f} KB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
