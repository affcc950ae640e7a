"""Law-like benchmark documents: chapters, sections, articles and items, deterministically.

``make_corpus.py --shape laws`` writes these instead of short reports: laws, regulations
and rules of 15–300 KB (2 % of them at about 300 KB), laid out as they are published:

- a line on its adoption, a 目录 of the chapters, then ``## 第一章　总则`` chapters, in
  long ones ``## 第一编`` parts above ``### 第一章`` chapters and ``#### 第一节`` sections;
- articles ``第一条　……`` (bold ``**第一条**`` in some documents), one to three
  paragraphs each, some with items ``（一）……；`` as paragraphs or as a list.

The text is made of clauses drawn from an order-2 character Markov chain over the seed
report and a stock of statutory phrases (应当, 不得, 县级以上人民政府 …), so the mix of
characters is that of real Chinese official text. Only the ``random.Random`` passed in is
used: the same seed gives the same documents.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

NUM_CN = "零一二三四五六七八九"
CLAUSE_END = "，。；：！？、"
# Statutory phrasing: the openings and connectives of Chinese laws and regulations.
LAW_PHRASES = (
    "为了规范行政行为，保护公民、法人和其他组织的合法权益，根据有关法律、行政法规，结合本县实际，制定本办法。"
    "本办法适用于本行政区域内的有关活动及其监督管理。县级以上人民政府应当加强对本行政区域内有关工作的领导，"
    "建立健全工作协调机制，将所需经费列入本级财政预算。有关主管部门负责本行政区域内的监督管理工作；"
    "其他有关部门在各自职责范围内做好相关工作。乡镇人民政府、街道办事处应当协助做好相关工作。"
    "任何单位和个人不得擅自改变用途，不得拒绝、阻碍监督检查人员依法执行职务。违反本条例规定，"
    "由县级以上人民政府有关部门责令限期改正，给予警告；逾期不改正的，处一万元以上五万元以下的罚款；"
    "情节严重的，依法吊销许可证件。构成犯罪的，依法追究刑事责任。行政机关工作人员在监督管理工作中"
    "滥用职权、玩忽职守、徇私舞弊的，依法给予处分。当事人对行政处罚决定不服的，可以依法申请行政复议"
    "或者提起行政诉讼。申请人应当提交下列材料，并对材料的真实性负责。主管部门应当自受理申请之日起"
    "二十个工作日内作出决定；不予批准的，应当书面说明理由。本条例所称有关单位，是指依法设立的机关、"
    "企业事业单位、社会组织。国家鼓励和支持社会力量参与相关工作，对在工作中做出显著成绩的单位和个人，"
    "按照国家有关规定给予表彰和奖励。本办法自发布之日起施行，原有规定同时废止。"
)
ITEM_LEADS = (
    "有下列情形之一的",
    "应当履行下列职责",
    "应当具备下列条件",
    "包括下列内容",
    "应当遵守下列规定",
)
KINDS = ("条例", "办法", "规定", "实施细则", "管理办法", "实施办法")
BODIES = (
    "灌南县人民代表大会常务委员会",
    "灌南县人民政府",
    "连云港市人民代表大会常务委员会",
    "连云港市人民政府",
)
CHAPTER_NAMES = (
    "总则", "规划与建设", "管理与保护", "监督检查", "服务与保障", "权利与义务", "许可与备案",
    "预防与处置", "信息公开", "社会参与", "法律责任", "附则",
)  # fmt: skip
SECTION_NAMES = (
    "一般规定",
    "申请与受理",
    "审查与决定",
    "变更与延续",
    "监督管理",
    "特别规定",
    "程序",
)
PART_NAMES = ("总则", "分则", "管理制度", "法律责任与附则", "专项规定")


def cn_num(n: int) -> str:
    """Chinese numeral for 0 < n < 10,000 (一, 十二, 一百零三, 一千二百六十)."""
    if n < 10:
        return NUM_CN[n]
    if n < 20:
        return "十" + (NUM_CN[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero and out else "") + NUM_CN[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


class Clauses:
    """Clauses (text between Chinese punctuation) from an order-2 character chain."""

    def __init__(self, rng: random.Random, seed_sentences: list[str], pool: int = 6000):
        text = LAW_PHRASES + "".join(seed_sentences)
        text = re.sub(r"[^\u4e00-\u9fff0-9％%，。；：、“”（）《》]", "", text)
        chain: dict[str, list[str]] = {}
        for i in range(len(text) - 2):
            chain.setdefault(text[i : i + 2], []).append(text[i + 2])
        starts = [text[i + 1 : i + 3] for i in range(len(text) - 3) if text[i] in "，。；："]
        starts = [s for s in starts if s in chain and not (set(s) & set(CLAUSE_END))]
        clauses: list[str] = []
        seen: set[str] = set()
        while len(clauses) < pool:
            clause = self._walk(rng, chain, rng.choice(starts))
            if 4 <= len(clause) <= 40 and clause not in seen:
                seen.add(clause)
                clauses.append(clause)
        self.items = clauses

    @staticmethod
    def _walk(rng: random.Random, chain: dict[str, list[str]], state: str) -> str:
        out = list(state)
        while len(out) < 48:
            following = chain.get("".join(out[-2:]))
            if not following:
                break
            char = rng.choice(following)
            if char in CLAUSE_END:
                break
            out.append(char)
        clause = "".join(out)
        # brackets and quotes that the walk opened and never closed would be odd
        for opener, closer in ("（）", "“”", "《》"):
            if clause.count(opener) != clause.count(closer):
                clause = clause.replace(opener, "").replace(closer, "")
        return clause

    def deck(self, rng: random.Random) -> Iterator[str]:
        while True:
            yield from rng.sample(self.items, len(self.items))


def sentence(rng: random.Random, clauses: Iterator[str], end: str = "。") -> str:
    return "，".join(next(clauses) for _ in range(rng.randint(1, 4))) + end


def article(rng: random.Random, clauses: Iterator[str], number: int, bold: bool) -> list[str]:
    """The blocks of one article: its paragraphs, and perhaps items （一）…（N）."""
    label = f"第{cn_num(number)}条"
    head = (f"**{label}**" if bold else label) + "\u3000"
    blocks = [head + "".join(sentence(rng, clauses) for _ in range(rng.randint(1, 3)))]
    if rng.random() < 0.25:  # items
        blocks[0] = blocks[0][:-1] + "，" + rng.choice(ITEM_LEADS) + "："
        count = rng.randint(2, 9)
        items = [
            f"（{cn_num(i)}）{sentence(rng, clauses, '。' if i == count else '；')}"
            for i in range(1, count + 1)
        ]
        if rng.random() < 0.15:  # written as a Markdown list
            blocks.append("\n".join(f"- {item}" for item in items))
        else:
            blocks.extend(items)
    for _ in range(rng.choices((0, 1, 2), (70, 22, 8))[0]):  # further paragraphs (款)
        blocks.append("".join(sentence(rng, clauses) for _ in range(rng.randint(1, 3))))
    return blocks


def law_size(rng: random.Random) -> int:
    """Target body size in bytes: 2 % at about 300 KB, the rest 15–160 KB, median ~30 KB."""
    if rng.random() < 0.02:
        return rng.randint(290_000, 300_000)
    return int(min(max(rng.lognormvariate(10.3, 0.55), 15_500), 160_000))


def law_title(rng: random.Random, topic: str) -> str:
    return f"灌南县{topic}{rng.choice(KINDS)}"


def law_body(rng: random.Random, clauses: Clauses, target: int, year: int) -> str:
    """A whole law of about ``target`` bytes (at least 15 KB)."""
    deck = clauses.deck(rng)
    bold = rng.random() < 0.4
    articles_per_chapter = rng.randint(6, 14)
    per_article = 330  # bytes, roughly: sets how many chapters the size needs
    n_articles = max(8, target // per_article)
    n_chapters = max(2, min(60, n_articles // articles_per_chapter))
    parts = 0 if target < 120_000 else rng.randint(3, 7)
    names = [CHAPTER_NAMES[0]] + [
        rng.choice(CHAPTER_NAMES[1:-2]) for _ in range(n_chapters - 3)
    ] + list(CHAPTER_NAMES[-2:])  # fmt: skip
    date = f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    blocks = [
        f"（{date}{rng.choice(BODIES)}第{cn_num(rng.randint(1, 40))}次会议通过）",
        "目录\n" + "\n".join(f"第{cn_num(i + 1)}章\u3000{n}" for i, n in enumerate(names)),
    ]
    size = sum(len(b.encode()) + 2 for b in blocks)
    number = 0
    level = "###" if parts else "##"
    for index, name in enumerate(names):
        if parts and index * parts // len(names) != (index - 1) * parts // len(names):
            part = index * parts // len(names) + 1
            blocks.append(f"## 第{cn_num(part)}编\u3000{PART_NAMES[(part - 1) % len(PART_NAMES)]}")
        blocks.append(f"{level} 第{cn_num(index + 1)}章\u3000{name}")
        sections = rng.randint(2, 4) if rng.random() < 0.3 and index else 0
        remaining = max(1, (target - size) // max(1, len(names) - index))
        for s in range(max(1, sections)):
            if sections:
                section = SECTION_NAMES[s % len(SECTION_NAMES)]
                blocks.append(f"{level}# 第{cn_num(s + 1)}节\u3000{section}")
            chapter_end = size + remaining // max(1, sections)
            while size < chapter_end or number == 0:
                number += 1
                for block in article(rng, deck, number, bold):
                    blocks.append(block)
                    size += len(block.encode()) + 2
    blocks.append(f"第{cn_num(number + 1)}条\u3000本{'办法' if bold else '条例'}自{date}起施行。")
    return "\n\n".join(blocks) + "\n"
