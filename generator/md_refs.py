"""Cross-references: ``[文件](ref:xwzx/gsgg/2020-report.md#二)`` links to the page of the
report in that file, wherever its slug or the permalink pattern puts it.

The URL and title of each target come from the build's checks (``content.check_body_uses``,
which also reports a target that does not exist or is not published), handed over as
``md.sitegen_facts``. A link without text shows the target's title. The site path set
here is made relative to the page afterwards (``relink``).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from urllib.parse import quote

import markdown
from markdown.treeprocessors import Treeprocessor

from .body_uses import REF_PREFIX


class CrossReferences(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        facts: dict[str, tuple] = getattr(self.md, "sitegen_facts", None) or {}
        for link in root.iter("a"):
            href = link.get("href", "")
            if not href.startswith(REF_PREFIX):
                continue
            target = href[len(REF_PREFIX) :]
            fact = facts.get(f"ref:{target}")
            if fact is None:
                continue  # an unchecked page (a draft's preview): left as written
            url, title = fact
            fragment = target.partition("#")[2]
            link.set("href", quote(url, safe="/") + (f"#{quote(fragment)}" if fragment else ""))
            if not (link.text or "").strip() and len(link) == 0:
                link.text = title


def register(md: markdown.Markdown) -> None:
    # After inline parsing (20), before the headings and tables (6, 4).
    md.treeprocessors.register(CrossReferences(md), "sitegen_refs", 15)
