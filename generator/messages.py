"""Messages in the editor's language: ``_(english, **params)`` and its catalogue.

The English text of a message is its id. Its translations are gettext PO files:
every ``generator/locale/<lang>/*.po`` together is the catalogue of that language (each
part of sitegen may add a file of its own). ``_`` looks the text up in the catalogue of
the chosen language and fills in the named ``{placeholders}`` (``str.format``: a literal
brace is written ``{{``). ``N_`` marks an English text to be translated later (help texts
made at import time, tables of texts); it returns the text as it is.

The language is chosen once per command, before anything is printed (:func:`choose`):
``--lang``, else ``SITEGEN_LANG``, else the ``language`` of the site's ``sitegen.yaml``,
else the default site language, ``zh-CN``. Worker processes are forked, so they inherit it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).with_name("locale")
ENV_VARIABLE = "SITEGEN_LANG"
DEFAULT_LANGUAGE = "zh-CN"  # the default `language` of a site (config.py)
LANGUAGES = ("zh-CN", "en")  # what --lang accepts
_CATALOGUE_FOLDERS = {"zh-CN": "zh_CN"}  # English needs no catalogue: its texts are the ids

_language: str | None = None  # None: not chosen yet (decided from the environment)


def normalise(language: str | None) -> str | None:
    """``zh-CN``, ``zh_cn``, ``zh``, ``zh-Hans`` → ``zh-CN``; ``en``, ``en-US`` → ``en``;
    anything else (or nothing) → ``None``."""
    name = (language or "").strip().lower().replace("_", "-")
    if name == "zh" or name.startswith("zh-"):
        return "zh-CN"
    if name == "en" or name.startswith("en-"):
        return "en"
    return None


def choose(
    cli: str | None = None,
    site: Callable[[], str | None] | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """The language of messages: ``--lang``, ``SITEGEN_LANG``, the site's (``site()``, asked
    only when neither decides), else the default."""
    environ = os.environ if env is None else env
    for candidate in (cli, environ.get(ENV_VARIABLE)):
        if normalise(candidate):
            return normalise(candidate) or DEFAULT_LANGUAGE
    return normalise(site() if site else None) or DEFAULT_LANGUAGE


def current() -> str:
    global _language
    if _language is None:
        _language = choose()
    return _language


def set_language(language: str | None) -> None:
    """Use ``language`` from now on (``None``: decide again from the environment)."""
    global _language
    _language = normalise(language) if language else None


@contextmanager
def language(name: str | None) -> Iterator[None]:
    """Messages in ``name`` inside the block, as before after it."""
    global _language
    before = _language
    set_language(name)
    try:
        yield
    finally:
        _language = before


def N_(text: str, /) -> str:
    """Mark ``text`` for the catalogue without translating it now."""
    return text


def _(text: str, /, **params: Any) -> str:
    """``text`` in the chosen language, its ``{placeholders}`` filled from ``params``."""
    folder = _CATALOGUE_FOLDERS.get(current())
    if folder is not None:
        text = catalogue(folder).messages.get(text) or text
    return text.format(**params)


LIST_SEPARATOR = N_(", ")  # between the items of a list in a sentence


def join(items: Iterable[str]) -> str:
    """Items of a list in a sentence: "2 drafts, 1 expired" / "2 篇草稿、1 篇已过期"."""
    return _(LIST_SEPARATOR).join(items)


# --- the PO files ---------------------------------------------------------------------


class PoError(Exception):
    """A PO file that cannot be read, with its file and line."""


@dataclass
class Catalogue:
    """The translations of one language, merged from all its PO files."""

    messages: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # msgid → "file:line" of its entry
    # the same msgid translated differently in two places: (msgid, first place, second)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class PoEntry:
    msgid: str
    msgstr: str
    line: int  # of its msgid
    context: str | None = None
    fuzzy: bool = False
    plural: bool = False


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPES |= {"f": "\f", "v": "\v"}
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*)$")


def _unquote(text: str, where: str) -> str:
    """The value of one quoted PO string, escapes resolved."""
    text = text.strip()
    if len(text) < 2 or not text.startswith('"') or not text.endswith('"'):
        raise PoError(f"{where}: expected a quoted string, got {text!r}")

    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] == "x":
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        if code in _ESCAPES:
            return _ESCAPES[code]
        raise PoError(f"{where}: unknown escape \\{code}")

    inner = text[1:-1]
    if re.search(r'(?<!\\)(?:\\\\)*"', inner):
        raise PoError(f"{where}: an unescaped quote inside {text!r}")
    return _ESCAPE.sub(replace, inner)


def read_po(text: str, name: str = "<po>") -> list[PoEntry]:
    """The entries of a PO file: multi-line strings joined, escapes resolved, flags read.
    Obsolete entries (``#~``) are comments; the header (empty msgid) is left out."""
    entries: list[PoEntry] = []
    fields: dict[str, str] = {}
    flags: set[str] = set()
    start = 0
    last: str | None = None

    def finish() -> None:
        nonlocal fields, flags, last
        if "msgid" in fields:
            if "msgstr" not in fields and "msgstr[0]" not in fields:
                raise PoError(f"{name}:{start}: msgid without msgstr")
            if fields["msgid"]:
                entries.append(
                    PoEntry(
                        fields["msgid"],
                        fields.get("msgstr", fields.get("msgstr[0]", "")),
                        start,
                        fields.get("msgctxt"),
                        "fuzzy" in flags,
                        "msgid_plural" in fields,
                    )
                )
        elif fields:
            raise PoError(f"{name}:{start}: an entry without msgid")
        fields, flags, last = {}, set(), None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        where = f"{name}:{number}"
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if any(key.startswith("msgstr") for key in fields):
                finish()  # a comment starts the next entry
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            if last is None:
                raise PoError(f"{where}: a string that continues nothing")
            fields[last] += _unquote(line, where)
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise PoError(f"{where}: cannot read {line!r}")
        keyword, value = match.groups()
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in fields):
            finish()
        if keyword in fields:
            raise PoError(f"{where}: {keyword} given twice in one entry")
        if not fields:
            start = number
        fields[keyword] = _unquote(value, where)
        last = keyword
    finish()
    return entries


def load_catalogue(folder: Path) -> Catalogue:
    """Every ``*.po`` of ``folder`` (in name order) merged into one catalogue.

    Fuzzy, untranslated, plural and context entries are left out (sitegen's messages have
    no plural forms: a count is a placeholder). A msgid translated twice the same way is
    fine; translated differently, the first file wins and the conflict is recorded."""
    result = Catalogue()
    for file in sorted(folder.glob("*.po")):
        for entry in read_po(file.read_text(encoding="utf-8"), file.name):
            if entry.fuzzy or entry.plural or entry.context is not None or not entry.msgstr:
                continue
            place = f"{file.name}:{entry.line}"
            known = result.messages.get(entry.msgid)
            if known is None:
                result.messages[entry.msgid] = entry.msgstr
                result.where[entry.msgid] = place
            elif known != entry.msgstr:
                result.conflicts.append((entry.msgid, result.where[entry.msgid], place))
    return result


@cache
def catalogue(folder: str) -> Catalogue:
    return load_catalogue(LOCALE_DIR / folder)
