"""Site paths and URLs: permalinks, which URLs may become links, percent-encoding (one
encoder for relative and absolute URLs), and links between pages under any sub-path.

A *site path* is a path of the built site as the files are named, not yet encoded:
``/xwzx/2020/no#1/`` is the folder ``xwzx/2020/no#1``. It becomes an href only through
:func:`encode_path`, which encodes each segment, so ``#``, ``?``, ``%``, ``:`` and spaces
in file names and slugs stay part of the path.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from .messages import N_, _

# Kept as they are inside one path segment (RFC 3986 pchar minus ':', which would read as a
# scheme in a first relative segment, and minus the quotes and brackets that end a CSS url()).
SEGMENT_SAFE = "!$&*+,;=@~"
# A path that percent-encoding leaves as it is: `quote`'s own safe characters, SEGMENT_SAFE, '/'.
UNENCODED_PATH = re.compile(r"[A-Za-z0-9_.\-~!$&*+,;=@/]*")
# Kept in a URL written by hand (an external address): its own delimiters and escapes.
URL_SAFE = "/:?#[]@!$&'()*+,;=%~"

LINK_SCHEMES = ("http", "https", "mailto", "tel")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
# What browsers strip from both ends of a URL (C0 controls and space), and what they drop
# anywhere inside (tab, newline): 'java\tscript:' is 'javascript:' to a browser.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
LINK_HINT = N_(
    "links may be http:// or https:// addresses, mailto:, tel:, or paths of the site "
    "such as /xwzx/gsgg/ or files/a.pdf"
)


@dataclass(frozen=True)
class LinkCheck:
    """What a URL written in config or front matter is: ``external`` (a safe scheme),
    ``path`` (site-relative) or ``refused`` with the reason and a hint."""

    kind: str
    value: str = ""  # the URL with surrounding spaces removed
    problem: str = ""
    hint: str = ""


def check_link(value: str) -> LinkCheck:
    """Decide whether ``value`` may become an href; only safe schemes and site paths may."""
    if CONTROL.search(value):
        return LinkCheck(
            "refused",
            value,
            _("{value} contains a control character (tab, newline, …)", value=repr(value)),
            _("remove it; {hint}", hint=_(LINK_HINT)),
        )
    text = value.strip(" ")
    if "\\" in text:
        return LinkCheck(
            "refused",
            text,
            _("{value} contains a backslash", value=repr(text)),
            _("write '/' between folders"),
        )
    if text.startswith("//"):
        return LinkCheck(
            "refused",
            text,
            _("{value} has no scheme", value=repr(text)),
            _("write the whole address, e.g. https:{value}", value=text),
        )
    match = SCHEME.match(text)
    if match is None:
        return LinkCheck("path", text)
    scheme = match.group(1).lower()
    if scheme not in LINK_SCHEMES:
        return LinkCheck(
            "refused",
            text,
            _("the scheme '{scheme}:' cannot be a link", scheme=match.group(1)),
            _(LINK_HINT),
        )
    if scheme in ("http", "https") and not urlsplit(text).hostname:
        return LinkCheck(
            "refused",
            text,
            _("{value} has no host", value=repr(text)),
            _("write the whole address, e.g. https://www.example.gov.cn/…"),
        )
    return LinkCheck("external", text)


def encode_path(path: str) -> str:
    """Percent-encode a site path segment by segment ('/' stays the separator)."""
    if UNENCODED_PATH.fullmatch(path):
        return path  # most site paths: nothing to encode
    return "/".join(quote(segment, safe=SEGMENT_SAFE) for segment in path.split("/"))


def encode_external(url: str) -> str:
    """An address written by hand, made safe to print: spaces and non-ASCII characters
    encoded (the host in IDNA), its own delimiters and escapes kept."""
    if url.isascii() and " " not in url:
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.hostname and not parts.hostname.isascii():
        try:
            host = parts.hostname.encode("idna").decode("ascii")
        except UnicodeError:
            host = quote(parts.hostname, safe="")
        netloc = netloc.replace(parts.hostname, host)
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=URL_SAFE),
            quote(parts.query, safe=URL_SAFE),
            quote(parts.fragment, safe=URL_SAFE),
        )
    )


def normalise_base_url(url: str) -> str:
    """A valid base URL as sitegen writes it: encoded, ending with '/' ('' stays '')."""
    if not url:
        return ""
    url = encode_external(url.strip())
    return url if url.endswith("/") else url + "/"


def absolute_url(base_url: str, path: str) -> str:
    """The absolute URL of a site path (``base_url`` from :func:`normalise_base_url`)."""
    if not base_url:
        return ""
    return base_url.rstrip("/") + "/" + encode_path(path.lstrip("/"))


def split_url(url: str) -> tuple[str, str]:
    """'/a/b/?q=1#top' → ('/a/b/', '?q=1#top'): the path and what follows it."""
    cut = len(url)
    for mark in "?#":
        at = url.find(mark)
        if at != -1 and at < cut:
            cut = at
    return url[:cut], url[cut:]


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


def resolve_path(target: str, current: str) -> str:
    """A site path with '.', '..' or empty segments, or relative to the page ``current``,
    as a plain site path ('..' above the root stays at the root, as in a browser)."""
    if not target.startswith("/"):
        here = current if current.endswith("/") else posixpath.dirname(current) + "/"
        target = here + target
    parts: list[str] = []
    segments = target.split("/")
    for segment in segments[1:-1]:
        if segment == "..":
            if parts:
                parts.pop()
        elif segment and segment != ".":
            parts.append(segment)
    last = segments[-1]
    if last == "..":
        if parts:
            parts.pop()
        last = ""
    elif last == ".":
        last = ""
    return "/" + "".join(p + "/" for p in parts) + last


class Linker:
    """Makes hrefs from one page to site paths.

    ``relative`` links (the default) work wherever the output is served: at the root,
    under any sub-path, and from the file system when ``file_urls`` adds index.html.
    Pages served at unknown paths (404.html) use absolute paths under ``base_path``.
    """

    def __init__(self, base_path: str = "/", file_urls: bool = False):
        self.base_path = base_path if base_path.endswith("/") else base_path + "/"
        self.file_urls = file_urls
        self._parts: dict[str, list[str]] = {}  # target → its encoded segments

    def _segments(self, target: str) -> list[str]:
        """'/a/b/' → ['a', 'b', ''] (percent-encoded), computed once per target."""
        parts = self._parts.get(target)
        if parts is None:
            parts = self._parts[target] = encode_path(target).split("/")[1:]
        return parts

    def href(self, target: str, current: str | None, suffix: str = "") -> str:
        """The href from the page at site path ``current`` (None: a page served at any
        address) to the site path ``target``; ``suffix`` (``?query#fragment``, already
        encoded) is added as it is."""
        if not target.startswith("/") or "/." in target or "//" in target:
            target = resolve_path(target, current or "/")
        if self.file_urls and target.endswith("/"):
            target += "index.html"
        if current is None:
            return self.base_path + encode_path(target.lstrip("/")) + suffix
        # Up from the current page's folder to the longest common one, then down.
        here = self._segments(current)[:-1]  # the folders of the current page
        there = self._segments(target)
        common = 0
        while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
            common += 1
        return ("../" * (len(here) - common) + "/".join(there[common:]) or "./") + suffix
