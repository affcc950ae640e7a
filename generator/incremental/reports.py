"""The store of reports of earlier builds (``.sitegen-cache/reports/``).

A report file whose name, size and modification time did not change is not read again,
but only while every file outside it that its checks looked at (``Report.outside``: an
attachment, the target of its interpretation link, an image …) is as it was: same kind
of file, size, modification time, inode and real path. When one of them changed, the
report is parsed again, so its checks run again and give exactly the messages of a
clean build. Reports are kept without their bodies (read again when a page needs one),
with the warnings they gave, in one shard per top column.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__, cachefile
from ..cachefile import Damaged
from ..errors import Problem
from .digest import code_digest, hash_parts

if TYPE_CHECKING:  # the no-op check loads this module, and none of the model
    from ..content import Report

FOLDER = "reports"  # one pickle per top column (``*.sgc``)

# The state of an outside file: (real path, file type bits, size, mtime_ns, inode), or
# (real path,) when it cannot be looked at.
FileState = tuple


def file_state(path: str) -> FileState:
    real = os.path.realpath(path)
    try:
        st = os.stat(path)
    except OSError:
        return (real,)
    return (real, st.st_mode & 0o170000, st.st_size, st.st_mtime_ns, st.st_ino)


def facts(report: Report) -> tuple[tuple[str, FileState], ...]:
    return tuple((path, file_state(path)) for path in report.outside)


def still_true(recorded: tuple[tuple[str, FileState], ...]) -> bool:
    return all(file_state(path) == state for path, state in recorded)


def memo_shard(shown: str) -> str:
    """The top column of a content file: the build cache keeps reports in one file each."""
    parts = shown.split("/")
    return parts[1] if len(parts) > 2 else ""


# An entry: (size, mtime_ns, report, warnings, facts about its outside files).
Entry = tuple


class ReportMemo:
    """Reports of earlier builds by file name, size and modification time.

    ``known`` comes from the build cache, grouped in shards (one per top column, each read
    in one time zone: ``shard_timezones``); ``used`` is what this build loaded or reused.
    Only shards that changed (``dirty_shards``) need to be written again.
    """

    def __init__(self, known: dict | None = None, shard_timezones: dict | None = None):
        self.known: dict[str, Entry] = known or {}
        self.shard_timezones: dict[str, str] = shard_timezones or {}
        self.used: dict[str, Entry] = {}
        self.timezone = ""  # the site's, set before content is loaded
        self.changed: set[str] = set()

    def get(self, shown: str, stat: os.stat_result) -> tuple[Report, list[Problem]] | None:
        entry = self.known.get(shown)
        if entry is None or entry[:2] != (stat.st_size, stat.st_mtime_ns):
            return None
        if self.shard_timezones.get(memo_shard(shown)) != self.timezone:
            return None  # its dates were read in another time zone
        if not still_true(entry[4]):
            return None  # a file it checks changed: parse it again, checks and all
        self.used[shown] = entry
        return entry[2], entry[3]

    def put(self, shown: str, stat: os.stat_result, report: Report, warnings: list[Problem]):
        self.used[shown] = (stat.st_size, stat.st_mtime_ns, report, warnings, facts(report))
        self.changed.add(memo_shard(shown))

    def dirty_shards(self) -> set[str]:
        """Shards with newly read reports, or with reports that are gone."""
        gone = {memo_shard(shown) for shown in self.known if shown not in self.used}
        return self.changed | gone

    def shard(self, name: str) -> dict[str, Entry]:
        """The entries of one shard as the cache keeps them: without bodies."""
        kept = {}
        for shown, (size, mtime, report, warnings, found) in self.used.items():
            if memo_shard(shown) != name:
                continue
            if report.body is not None:
                report = dataclasses.replace(report, body=None)
            kept[shown] = (size, mtime, report, warnings, found)
        return kept


LOAD_ERRORS = (
    OSError,
    Damaged,
    pickle.UnpicklingError,
    EOFError,
    KeyError,
    AttributeError,
    TypeError,
    ValueError,
)


def load(cache_folder: Path, discard: Callable[[Path], None]) -> ReportMemo:
    """Reports loaded by earlier builds (pickled: the cache is the site's own folder); a
    damaged shard is handed to ``discard`` and its reports are read again."""
    known: dict[str, Entry] = {}
    timezones: dict[str, str] = {}
    folder = cache_folder / FOLDER
    if folder.is_dir():
        for path in sorted(folder.glob("*.sgc")):
            try:
                data = pickle.loads(cachefile.read(path))
                if data["version"] != __version__ or data["code"] != code_digest():
                    continue
                known.update(data["reports"])
                timezones[data["shard"]] = data["timezone"]
            except LOAD_ERRORS:
                discard(path)
    return ReportMemo(known, timezones)


def save(cache_folder: Path, memo: ReportMemo) -> None:
    """Write the shards of the store that changed in this build."""
    folder = cache_folder / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(memo.dirty_shards()):
        target = folder / f"{hash_parts('shard', name)}.sgc"
        entries = memo.shard(name)
        if not entries:
            target.unlink(missing_ok=True)
            continue
        data = {
            "version": __version__,
            "code": code_digest(),
            "shard": name,
            "timezone": memo.timezone,
            "reports": entries,
        }
        cachefile.write(target, pickle.dumps(data, pickle.HIGHEST_PROTOCOL))
