"""Images of a report body as the site publishes them.

An image written relative to its report (``![图](images/x.png)`` beside the .md) points,
on the page, to where the file is published (``/xwzx/gsgg/images/x.png``, made relative
to the page afterwards by ``relink``, so it works under a sub-path and from file://);
each image whose size is known gets ``width`` and ``height`` (no layout shift while it
loads), and a large one ``loading="lazy"``. Markdown and raw-HTML images alike: the pass
runs over the finished HTML. The facts (site path, size) come from the build's checks
(``content.check_body_uses``), handed over as ``md.sitegen_facts``.
"""

from __future__ import annotations

import html
from urllib.parse import quote

import markdown
from markdown.postprocessors import Postprocessor

from .relink import ATTRIBUTE, start_tags

LAZY_FROM = 300  # px: an image at least this wide or high loads when it comes near view


class ImagePaths(Postprocessor):
    def run(self, text: str) -> str:
        facts: dict[str, tuple] = getattr(self.md, "sitegen_facts", None) or {}
        if not facts:
            return text
        out: list[str] = []
        last = 0
        for start, end, tag in start_tags(text):
            if tag != "img":
                continue
            raw = text[start:end]
            new = _image_tag(raw, facts)
            if new != raw:
                out += [text[last:start], new]
                last = end
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)


def _image_tag(raw: str, facts: dict[str, tuple]) -> str:
    """The ``<img>`` start tag with its published ``src`` and its size, or as it was."""
    names = {m.group(1).lower() for m in ATTRIBUTE.finditer(raw, 4)}
    fact: tuple | None = None
    out = [raw[:4]]
    pos = 4
    for match in ATTRIBUTE.finditer(raw, 4):
        quoted = match.group(2)
        if match.group(1).lower() != "src" or not quoted:
            continue
        value = html.unescape(quoted[1:-1] if quoted[0] in "'\"" else quoted)
        fact = facts.get(f"image:{value.strip()}")
        if fact is not None:
            new = html.escape(quote(fact[0], safe="/"), quote=True)
            out += [raw[pos : match.start(2)], '"', new, '"']
            pos = match.end(2)
        break
    if fact is None:
        return raw
    out.append(raw[pos:])
    tag = "".join(out)
    _, width, height, _mtime = fact
    extra = []
    if width and height and not names & {"width", "height"}:
        extra.append(f'width="{width}" height="{height}"')
        if max(width, height) >= LAZY_FROM and "loading" not in names:
            extra.append('loading="lazy" decoding="async"')
    if not extra:
        return tag
    close = len(tag) - 2 if tag.endswith("/>") else len(tag) - 1
    return tag[:close].rstrip() + " " + " ".join(extra) + tag[close:]


def register(md: markdown.Markdown) -> None:
    # After the raw HTML is put back (30): raw <img> tags are seen too.
    md.postprocessors.register(ImagePaths(md), "sitegen_images", 25)
