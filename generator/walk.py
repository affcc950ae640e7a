"""Which files under a source folder sitegen may read: regular files only, no link that
leads out of the folder, nothing on the ignore list, and names that are UTF-8.

Every entry is judged by its kind as the folder listing gives it (``os.scandir``: the
type lstat reports, S_ISREG for a regular file) before anything is opened: a named pipe, socket or device is never opened, a symbolic link is followed only
when it leads to a regular file inside the same folder (the rule attachments follow too:
:func:`within`), and a link to a folder is never followed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostics
from .messages import N_

# Editor backups, lock files and the files operating systems leave in folders: never
# read, never published. Matched against the name, regardless of case.
DEFAULT_IGNORE = (
    "*~",  # Emacs, gedit, vim backups: report.md~
    "~$*",  # Microsoft Office lock files: ~$报告.docx
    ".~lock.*#",  # LibreOffice lock files
    "#*#",  # Emacs auto-save files
    "*.bak",
    "*.swp",  # vim swap files
    "*.swo",
    "*.tmp",
    "Thumbs.db",  # Windows
    "desktop.ini",  # Windows
    ".DS_Store",  # macOS
    ".*",  # dot files and dot folders: .git/, .obsidian/, .#report.md
)

# Why files were left out, each with its count as the summary line says it.
REASONS = {
    "backup": N_("{n} backups/system files"),
    "ignored": N_("{n} matched by ignore:"),
    "link": N_("{n} symbolic links"),
    "special": N_("{n} not regular files"),
    "front_matter": N_("{n} non-Markdown files with front matter"),
    "draft": N_("{n} of drafts"),
    "future": N_("{n} of future-dated reports"),
    "expired": N_("{n} of expired reports"),
}


class BadPattern(ValueError):
    """An ``ignore:`` glob that cannot be used; the message says why."""


def _class(pattern: str, start: int) -> tuple[str, int] | None:
    """A ``[...]`` character class at ``start``: (regex, index after it), or None."""
    end = start + 1
    if end < len(pattern) and pattern[end] in "!^":
        end += 1
    if end < len(pattern) and pattern[end] == "]":
        end += 1
    end = pattern.find("]", end)
    if end < 0:
        return None
    body = pattern[start + 1 : end]
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    body = body.replace("\\", "\\\\")
    return f"[{'^' if negate else ''}{body}]", end + 1


def _glob_regex(pattern: str) -> str:
    """``*`` and ``?`` stay inside one path segment, ``**`` spans any number of them."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (found := _class(pattern, i)) is not None:
            out.append(found[0])
            i = found[1]
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


@dataclass(frozen=True)
class Glob:
    """One gitignore-like pattern (kept simple; see README, 'Files that are left out').

    A pattern without '/' matches a file or folder name at any depth; one with '/' at
    its start or inside is a path relative to the folder walked (content/); a trailing
    '/' matches folders only. A matched folder is left out with everything in it.
    """

    text: str
    regex: re.Pattern[str]
    anchored: bool
    folders_only: bool

    @classmethod
    def parse(cls, text: str) -> Glob:
        pattern = text.strip()
        if not pattern:
            raise BadPattern("an empty pattern matches nothing")
        if pattern.startswith("!"):
            raise BadPattern("'!' (exceptions to an ignore pattern) is not supported")
        if "\\" in pattern:
            raise BadPattern("write paths with '/', not '\\'")
        folders_only = pattern.endswith("/")
        core = pattern.strip("/")
        if not core:
            raise BadPattern("the pattern names no file or folder")
        if ".." in core.split("/"):
            raise BadPattern("'..' cannot appear: patterns are relative to content/")
        anchored = "/" in core or pattern.startswith("/")
        try:
            regex = re.compile(_glob_regex(core))
        except re.error as exc:
            raise BadPattern(f"not a usable glob ({exc})") from None
        return cls(text, regex, anchored, folders_only)

    def matches(self, rel: str, name: str, is_dir: bool) -> bool:
        if self.folders_only and not is_dir:
            return False
        return self.regex.fullmatch(rel if self.anchored else name) is not None


def check_pattern(text: str) -> str | None:
    """Why an ``ignore:`` pattern cannot be used, or None (for config validation)."""
    try:
        Glob.parse(text)
    except BadPattern as exc:
        return str(exc)
    return None


@dataclass
class IgnoreRules:
    """The default ignore list, plus the site's own ``ignore:`` globs (if any)."""

    own: list[Glob] = field(default_factory=list)
    underscore_folders: bool = False  # content/: folders named _… hold no content

    def __post_init__(self) -> None:
        # The defaults are names: one expression for all of them (a walk of 10,000 files
        # asks once per name instead of once per pattern).
        either = "|".join(f"(?:{_glob_regex(p)})" for p in DEFAULT_IGNORE)
        self._defaults = re.compile(either, re.IGNORECASE)

    @classmethod
    def for_content(cls, patterns: Iterable[str] = ()) -> IgnoreRules:
        return cls(own=[Glob.parse(p) for p in patterns], underscore_folders=True)

    def reason(self, rel: str, name: str, is_dir: bool) -> str | None:
        """'backup' (the default list), 'ignored' (an ``ignore:`` glob) or None."""
        if self._defaults.fullmatch(name) or (
            is_dir and self.underscore_folders and name.startswith("_")
        ):
            return "backup"
        for glob in self.own:
            if glob.matches(rel, name, is_dir):
                return "ignored"
        return None


def within(path: str | Path, folder_real: str | Path) -> bool:
    """True when the real path of ``path`` (every link followed) is inside ``folder_real``
    (itself a real path). The one rule for links: the walk and attachments use it."""
    real = os.path.realpath(path)
    folder = os.fspath(folder_real)
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def printable_name(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 shown as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _rename_hint(shown: str, name: str) -> str:
    raw = os.fsencode(name)
    for encoding in ("gb18030", "big5"):
        try:
            guess = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        label = "GBK" if encoding == "gb18030" else "Big5"
        return (
            f"it looks like {label} for '{guess}': rename it to a UTF-8 name, e.g. "
            f"convmv -f {label} -t UTF-8 --notest '{shown}', or rename it in a UTF-8 file manager"
        )
    return "rename it with a name in UTF-8 (letters, digits, '-' and Chinese characters work)"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


@dataclass
class Walk:
    """Walks one folder; ``left_out`` maps each entry left out (a path relative to the
    folder; a folder stands for everything in it) to its reason (see REASONS)."""

    top: Path
    shown: str  # how the folder is named in messages, e.g. "content"
    rules: IgnoreRules
    diag: Diagnostics
    left_out: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.real = os.path.realpath(self.top)

    def folders(self) -> Iterator[tuple[tuple[str, ...], list[str]]]:
        """(folder path parts, names of its readable files), parents first, sorted."""
        yield from self._folder(os.fspath(self.top), ())

    def _folder(self, folder: str, parts: tuple[str, ...]) -> Iterator:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self.diag.error(self._shown(parts), f"cannot read the folder: {exc.strerror}")
            return
        files: list[str] = []
        subfolders: list[tuple[str, str]] = []
        for entry in entries:
            kind = self._judge(entry, parts)
            if kind == "file":
                files.append(entry.name)
            elif kind == "folder":
                subfolders.append((entry.path, entry.name))
        yield parts, files
        for path, name in subfolders:
            yield from self._folder(path, (*parts, name))

    def _shown(self, parts: tuple[str, ...], name: str = "") -> str:
        return "/".join((self.shown, *parts, *([name] if name else [])))

    def _judge(self, entry: os.DirEntry, parts: tuple[str, ...]) -> str | None:
        """'file', 'folder' or None (left out, with a message where one is due)."""
        name = entry.name
        rel = "/".join((*parts, name))
        try:
            # The kind of entry from the folder listing itself (lstat's answer, no call
            # per file); a stat only for what is neither file, folder nor link.
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = not is_dir and entry.is_symlink()
            is_file = not is_dir and not is_link and entry.is_file(follow_symlinks=False)
            mode = 0 if is_dir or is_link or is_file else entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            shown = self._shown(parts, printable_name(name))
            self.diag.warn(shown, f"cannot be read ({exc.strerror}); left out")
            self.left_out[rel] = "special"
            return None
        reason = self.rules.reason(rel, name, is_dir)
        if reason is not None:
            self.left_out[rel] = reason  # a backup of a badly named file is left out too
            return None
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            shown = self._shown(parts, printable_name(name))  # its folders are UTF-8
            self.diag.error(
                shown, "the file name is not valid UTF-8", hint=_rename_hint(shown, name)
            )
            return None
        if is_dir:
            return "folder"
        if is_link:
            return self._link(entry.path, rel, parts, name)
        if is_file:
            return "file"
        self.left_out[rel] = "special"
        self.diag.warn(
            self._shown(parts, name),
            f"{_kind(mode)}, not a regular file: left out (it is never opened)",
            hint="remove it from the folder",
        )
        return None

    def _link(self, path: str, rel: str, parts: tuple[str, ...], name: str) -> str | None:
        """A symbolic link counts as a file only when it leads to a regular file inside
        the folder; links to folders are never followed (no loops, no second copies)."""
        shown = self._shown(parts, name)
        target = os.readlink(path)
        self.left_out[rel] = "link"
        try:
            st = os.stat(path)
        except OSError:
            self.diag.warn(
                shown,
                f"a symbolic link to {target!r}, which does not exist (a dangling link): left out",
                hint="remove the link or put the file itself here",
            )
            return None
        if not within(path, self.real):
            self.diag.warn(
                shown,
                f"a symbolic link to {target!r}, outside the {self.shown} folder: left out "
                "(files outside the site are never read)",
                hint=f"copy the file into {self.shown}/ instead of linking to it",
            )
            return None
        if stat.S_ISDIR(st.st_mode):
            self.diag.warn(
                shown,
                f"a symbolic link to the folder {target!r}: left out (links to folders "
                "are not followed)",
                hint="move or copy the folder here instead of linking to it",
            )
            return None
        if not stat.S_ISREG(st.st_mode):
            self.diag.warn(
                shown,
                f"a symbolic link to {_kind(st.st_mode)}: left out (it is never opened)",
                hint="remove the link",
            )
            return None
        del self.left_out[rel]
        return "file"


def left_out_counts(left_out: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reason in left_out.values():
        counts[reason] = counts.get(reason, 0) + 1
    return dict(sorted(counts.items()))
