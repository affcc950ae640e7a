"""Site paths: permalinks of reports, and links between pages that work under any sub-path."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

# Characters kept as they are in an href; everything else (CJK, spaces) is percent-encoded.
SAFE = "/#:?=&%~+@!$,;'()*"


def expand_permalink(pattern: str, section: str, year: int, month: int, day: int, slug: str) -> str:
    """Fill a pattern such as ``/:section/:year/:slug/`` and normalise it to ``/a/b/``."""
    path = (
        pattern.replace(":section", section)
        .replace(":year", f"{year:04d}")
        .replace(":month", f"{month:02d}")
        .replace(":day", f"{day:02d}")
        .replace(":slug", slug)
    )
    return normalise(path)


def normalise(path: str) -> str:
    """Collapse empty segments; directory-style paths end with '/'."""
    trailing = path.endswith("/") or "." not in path.rsplit("/", 1)[-1]
    parts = [p for p in path.split("/") if p and p != "."]
    joined = "/" + "/".join(parts)
    if trailing and parts:
        joined += "/"
    return joined


def is_inside(path: str) -> bool:
    """True when a site path stays inside the output folder (no '..' escapes)."""
    depth = 0
    for part in path.split("/"):
        if part == "..":
            depth -= 1
            if depth < 0:
                return False
        elif part and part != ".":
            depth += 1
    return True


def output_file(path: str) -> str:
    """The file a site path is written to, relative to the output folder."""
    path = path.lstrip("/")
    if not path or path.endswith("/"):
        return path + "index.html"
    return path


class Linker:
    """Makes hrefs from one page to site paths.

    ``relative`` links (the default) work wherever the output is served: at the root,
    under any sub-path, and from the file system when ``file_urls`` adds index.html.
    Pages served at unknown paths (404.html) use absolute paths under ``base_path``.
    """

    def __init__(self, base_path: str = "/", file_urls: bool = False):
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.file_urls = file_urls
        self._parts: dict[str, list[str]] = {}  # target → its quoted segments

    def _segments(self, target: str) -> list[str]:
        """'/a/b/' → ['a', 'b', ''] (percent-encoded), computed once per target."""
        parts = self._parts.get(target)
        if parts is None:
            parts = self._parts[target] = quote(target, safe=SAFE).split("/")[1:]
        return parts

    def href(self, target: str, current: str | None) -> str:
        fragment = ""
        if "#" in target:
            target, fragment = target.split("#", 1)
            fragment = "#" + fragment
        if self.file_urls and (target.endswith("/") or target == ""):
            target += "index.html"
        if current is None:
            return quote(self.base_path + target.lstrip("/"), safe=SAFE) + fragment
        if not target.startswith("/") or "/." in target or "//" in target:
            return self._normalised_href(target, current) + fragment
        # Up from the current page's folder to the longest common one, then down.
        here = self._segments(current)[:-1]  # the folders of the current page
        there = self._segments(target)
        common = 0
        while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
            common += 1
        return ("../" * (len(here) - common) + "/".join(there[common:]) or "./") + fragment

    def _normalised_href(self, target: str, current: str) -> str:
        """Targets with '.', '..' or empty segments (written by hand in a report)."""
        here = current if current.endswith("/") else posixpath.dirname(current) + "/"
        link = posixpath.relpath(target or "/", here)
        if target.endswith("/") and link != ".":
            link += "/"
        elif link == ".":
            link = "./"
        return quote(link, safe=SAFE)
