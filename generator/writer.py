"""Write the output folder safely: stage everything, then switch it in with a journal.

sitegen writes only into an output folder that is absent, empty or one it made itself (it
holds the marker :data:`MARKER`, the list of files the last build wrote), and it only ever
removes files that list names. Nothing in the output folder is touched until every file
has been staged; the switch then moves each old file into a backup folder before its new
one takes its place, and undoes every step on any failure, so the previous output stays
byte-identical. Files whose bytes did not change are not touched (they keep their
modification time: rsync and object-store syncs upload only changes).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

from .errors import Problem
from .messages import N_, _
from .urls import is_inside

# At the root of every output folder: the files the last build wrote (see the README).
MARKER = ".sitegen-output.json"

# Folders of a site that an output folder must never be (or be inside): cleaning or
# filling it would destroy or copy the site's own files.
SITE_FOLDERS = ("content", "templates", "static", "themes", "i18n", "archetypes", ".sitegen-cache")

# errno → (what went wrong in plain words, how to fix it)
REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: (
        N_("the disk is full"),
        N_("free some space on the disk, or choose another --output"),
    ),
    errno.EDQUOT: (
        N_("the disk quota is used up"),
        N_("free some space, or choose another --output"),
    ),
    errno.EACCES: (
        N_("permission denied"),
        N_(
            "check that you may write there (owner and permissions of the folder), "
            "or choose another --output"
        ),
    ),
    errno.EPERM: (
        N_("the operation is not permitted (the file may be immutable or locked)"),
        N_("check the file's attributes (lsattr) and permissions, or choose another --output"),
    ),
    errno.EROFS: (N_("the file system is read-only"), N_("choose an --output on a writable disk")),
    errno.EFBIG: (
        N_("the file is too large for the file system or the file size limit"),
        N_("raise the limit (ulimit -f), or choose an --output on another disk"),
    ),
    errno.ENAMETOOLONG: (
        N_("the name is too long for the file system"),
        N_("shorten the slug or the file name"),
    ),
    errno.ENOTDIR: (
        N_("a part of the path is a file, not a folder"),
        N_("choose an --output whose parent folders are folders"),
    ),
    errno.EISDIR: (N_("a folder is in the way of a file"), N_("remove or rename the folder")),
    errno.EIO: (
        N_("the disk reported an input/output error"),
        N_("check the disk, then build again"),
    ),
    errno.EMFILE: (N_("too many open files"), N_("raise the limit (ulimit -n), then build again")),
    errno.ENFILE: (
        N_("too many open files on the system"),
        N_("close other programs, then build again"),
    ),
}


def explain(
    exc: OSError, path: str | os.PathLike[str], doing: str = N_("could not be written")
) -> Problem:
    """A file-system error as a located problem: the file, what went wrong, how to fix it.
    ``doing`` is an English text marked with ``N_`` (translated here)."""
    known = REASONS.get(exc.errno or 0)
    reason, fix = (
        (_(known[0]), _(known[1]))
        if known
        else (exc.strerror or str(exc), _("check the disk and the folder"))
    )
    return Problem(str(path), _("{doing}: {reason}", doing=_(doing), reason=reason), None, fix)


class UnsafeOutput(Exception):
    """sitegen may not write into (or clean) this output folder."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message, hint)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class OutputFailed(Exception):
    """A file-system error while staging or switching the output (picklable: workers raise it)."""

    def __init__(self, problem: Problem):
        super().__init__(problem)
        self.problem = problem


def file_stats(folder: Path | str, into: dict[str, list[int]], prefix: str = "") -> None:
    """rel path → [size, mtime_ns] of every file below ``folder`` (os.scandir, and no
    Path object per folder: an output folder has one folder per report)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            file_stats(entry.path, into, rel + "/")
        elif entry.is_file():
            stat = entry.stat()
            into[rel] = [stat.st_size, stat.st_mtime_ns]


# O_BINARY: no newline translation on Windows; O_CLOEXEC: not inherited by other processes.
WRITE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)


def write_file(path: str, data: bytes) -> None:
    """Create or replace a file, its folders too, in as few system calls as can be: a
    build writes thousands (open() also asks whether the file is a terminal and where it
    stands; os.makedirs first looks whether each folder exists)."""
    folder = os.path.dirname(path)
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    fd = os.open(path, WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def check_output_dir(output: Path, source: Path) -> None:
    """Refuse an output folder whose filling or cleaning would touch the site's own files."""
    output = output.resolve()
    source = source.resolve()
    if output == source or source.is_relative_to(output):
        raise UnsafeOutput(
            _("the output folder is or contains the site folder {folder}", folder=source),
            _("choose a folder of its own, e.g. --output output"),
        )
    for name in SITE_FOLDERS:
        folder = (source / name).resolve()
        if output.is_relative_to(folder):
            raise UnsafeOutput(
                _("the output folder is inside the site's {name}/ folder", name=name),
                _("choose a folder outside it, e.g. --output output"),
            )
    if (output / MARKER).is_file():
        return  # built by sitegen (a column may well be called content/)
    if (output / "sitegen.yaml").exists() or (output / "content").is_dir():
        raise UnsafeOutput(
            _("the output folder looks like a site folder (it has sitegen.yaml or content/)"),
            _("choose a folder of its own, e.g. --output output"),
        )


def read_manifest(output: Path) -> set[str] | None:
    """The files the last build wrote into ``output`` (from its marker); None when there
    is no marker. Raises :class:`UnsafeOutput` when the marker is damaged."""
    try:
        text = (output / MARKER).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        problem = explain(exc, output / MARKER, N_("cannot be read"))
        raise UnsafeOutput(
            _("{where}: {message}", where=problem.path, message=problem.message), problem.hint
        ) from None
    try:
        data = json.loads(text)
        files = data["files"]
        if data.get("generator") != "sitegen" or not all(isinstance(f, str) for f in files):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise UnsafeOutput(
            _("{file} (the list of files sitegen wrote here) is damaged", file=output / MARKER),
            _("build with --force to clear the folder and write it anew"),
        ) from None
    return set(files)


def manifest_bytes(files: set[str]) -> bytes:
    """The marker's bytes: the sorted list of files a build wrote (one a line, for diffs)."""
    listed = sorted(f for f in files if f != MARKER)
    return (
        json.dumps({"generator": "sitegen", "files": listed}, ensure_ascii=False, indent=0) + "\n"
    ).encode("utf-8")


def foreign_files(output: Path, keep: tuple[str, ...] = ()) -> list[str]:
    """Files in ``output`` that no sitegen build wrote (every file when it has no marker)."""
    if not output.is_dir():
        return []
    stats: dict[str, list[int]] = {}
    file_stats(output, stats)
    try:
        owned = read_manifest(output) or set()
    except UnsafeOutput:
        owned = set()
    return sorted(
        rel for rel in stats if rel not in owned and rel != MARKER and not rel.startswith(keep)
    )


def listing(files: list[str], limit: int = 5) -> str:
    shown = ", ".join(files[:limit])
    if len(files) > limit:
        return _("{files} and {count} more", files=shown, count=len(files) - limit)
    return shown


def check_ownership(output: Path, force: bool = False) -> None:
    """Refuse an output folder that holds files sitegen did not write (unless ``force``),
    a damaged marker (unless ``force``), and an output path that is or lies under a file."""
    existing = output
    while not os.path.lexists(existing) and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        if existing == output:
            raise UnsafeOutput(
                _("the output folder is a file, not a folder"),
                _("choose another --output, or move the file away"),
            )
        raise UnsafeOutput(
            _("the output folder cannot be made: {path} is a file, not a folder", path=existing),
            _("choose another --output"),
        )
    if existing != output or force:
        return
    if read_manifest(output) is not None:
        return
    with os.scandir(output) as entries:
        if next(entries, None) is None:
            return  # an empty folder
    files = foreign_files(output)
    raise UnsafeOutput(
        _(
            "the output folder holds files sitegen did not write ({files}); sitegen writes only "
            "into an empty folder or one it built (it has {marker})",
            files=listing(files),
            marker=MARKER,
        )
        if files
        else _(
            "the output folder holds files sitegen did not write; sitegen writes only into an "
            "empty folder or one it built (it has {marker})",
            marker=MARKER,
        ),
        _(
            "choose an empty or new folder, e.g. --output output; or, to delete its files and "
            "build there, run sitegen build --force (it lists them first)"
        ),
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a system that cannot tell: keep it
    return True


def sweep_stages(output: Path) -> list[Path]:
    """Delete staging folders that builds killed while staging left next to ``output``;
    returns those of builds killed while switching (their old/ holds previous files,
    so they are kept for the user to look at)."""
    interrupted = []
    try:
        entries = list(os.scandir(output.parent))
    except OSError:
        return []
    prefix = f".{output.name}.staging-"
    for entry in entries:
        pid = entry.name[len(prefix) :]
        if not entry.name.startswith(prefix) or not pid.isdigit() or int(pid) == os.getpid():
            continue
        if _alive(int(pid)) or not entry.is_dir(follow_symlinks=False):
            continue
        folder = Path(entry.path)
        if (folder / "old").is_dir() and any((folder / "old").iterdir()):
            interrupted.append(folder)
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return interrupted


class Journal:
    """Switches files into the output one by one; every step can be undone.

    An old file is hard-linked into the backup folder and then atomically replaced (a
    reader never sees it missing); where hard links do not work, or a folder is in the
    way, it is moved there. Stale files are moved there too. :meth:`undo` puts back
    everything in reverse order; after a successful switch the backup is deleted.
    """

    def __init__(self, output: Path, backup: Path):
        self.output = str(output)
        self.backup = str(backup)
        self.steps: list[tuple[str, str, str]] = []
        self.count = 0
        self.ready = False

    def _spare(self) -> str:
        if not self.ready:
            os.makedirs(self.backup, exist_ok=True)
            self.ready = True
        self.count += 1
        return os.path.join(self.backup, str(self.count))

    def _move_aside(self, path: str) -> None:
        spare = self._spare()
        os.rename(path, spare)
        self.steps.append(("moved", path, spare))

    def remove(self, rel: str) -> bool:
        """Move a stale file into the backup; False when it is not there."""
        try:
            self._move_aside(os.path.join(self.output, rel))
        except (FileNotFoundError, NotADirectoryError):
            return False
        return True

    def place(self, rel: str, staged: str) -> None:
        target = os.path.join(self.output, rel)
        linked = self._keep_old(rel, target)
        try:
            os.replace(staged, target)
        except FileNotFoundError:
            if not os.path.exists(staged):
                raise
            self._make_folders(os.path.dirname(target))
            os.replace(staged, target)
        if not linked:
            self.steps.append(("placed", target, ""))

    def _keep_old(self, rel: str, target: str) -> bool:
        """Back up what is at ``target``; True when it stays in place until replaced."""
        spare = self._spare()
        try:
            os.link(target, spare, follow_symlinks=False)
        except FileNotFoundError:
            return False  # a new file (maybe in a new folder)
        except NotADirectoryError:
            self._file_in_the_way(rel)
            return False
        except OSError:
            if not os.path.lexists(target):
                return False
            if os.path.isdir(target) and not os.path.islink(target):
                self._folder_in_the_way(rel, target)
            self._move_aside(target)  # a folder, or a file system without hard links
            return False
        self.steps.append(("linked", target, spare))
        return True

    def _file_in_the_way(self, rel: str) -> None:
        """A file where this file's folder must go: sitegen's own stale files are gone by
        now, so it is someone else's."""
        parts = rel.split("/")
        for i in range(1, len(parts)):
            path = os.path.join(self.output, *parts[:i])
            if os.path.lexists(path) and not os.path.isdir(path):
                raise OutputFailed(
                    Problem(
                        path,
                        _(
                            "this file was not written by sitegen, and the folder of {file} must go here",
                            file=rel,
                        ),
                        None,
                        _("move it out of the output folder, or build with --force to replace it"),
                    )
                )

    def _folder_in_the_way(self, rel: str, target: str) -> None:
        for _root, _folders, files in os.walk(target):
            if files:
                raise OutputFailed(
                    Problem(
                        target,
                        _(
                            "this folder holds files sitegen did not write, and the file {file} must go here",
                            file=rel,
                        ),
                        None,
                        _("move the folder out of the output folder, or build with --force"),
                    )
                )

    def _make_folders(self, folder: str) -> None:
        missing = []
        while not os.path.isdir(folder):
            missing.append(folder)
            folder = os.path.dirname(folder)
        for path in reversed(missing):
            os.mkdir(path)
            self.steps.append(("made", path, ""))

    def undo(self) -> list[str]:
        """Put everything back; returns what could not be restored."""
        failed = []
        for kind, path, spare in reversed(self.steps):
            try:
                if kind in ("linked", "moved"):
                    os.replace(spare, path)
                elif kind == "placed":
                    os.unlink(path)
                else:
                    os.rmdir(path)
            except OSError as exc:
                failed.append(f"{path} ({exc.strerror or exc})")
        self.steps = []
        return failed


class OutputWriter:
    def __init__(self, output: Path, force: bool = False):
        self.output = output.resolve()
        # One folder next to the output for everything in flight: the new files (new/)
        # and, while switching, the old ones (old/).
        self.root = self.output.parent / f".{self.output.name}.staging-{os.getpid()}"
        self.stage = self.root / "new"
        self.backup = self.root / "old"
        self.force = force
        self.produced: set[str] = set()
        self.changed: list[str] = []
        self.unchanged = 0
        self.kept: list[str] = []
        self.foreign: list[str] = []  # files someone else put in the output: left alone
        self.stats: dict[str, list[int]] = {}
        self.scanned = False
        # No output folder yet (a first or clean build): nothing to compare with, no
        # symbolic links inside it to follow; every file goes straight to the stage.
        self.fresh = not self.output.exists()

    def keep(self, prefix: str) -> None:
        """Leave files under ``prefix`` alone when cleaning (e.g. the dev server's own files)."""
        self.kept.append(prefix)

    def _target(self, rel: str) -> Path:
        target = (self.output / rel).resolve()
        if not target.is_relative_to(self.output) or target == self.output:
            raise UnsafeOutput(
                _("refusing to write {file} outside the output folder", file=repr(rel))
            )
        return target

    def stage_file(self, rel: str, data: bytes) -> bool:
        """Stage ``data`` for output/rel unless the file already holds it; True if staged.

        Only touches the file system, so worker processes may call it; the process that
        owns the writer then calls :meth:`record`. A file-system error is raised as
        :class:`OutputFailed` naming the file.
        """
        if self.fresh:
            if rel.startswith("/") or not is_inside(rel) or not rel.strip("/"):
                raise UnsafeOutput(
                    _("refusing to write {file} outside the output folder", file=repr(rel))
                )
        else:
            target = self._target(rel)
            try:
                if target.stat().st_size == len(data) and target.read_bytes() == data:
                    return False
            except OSError:
                pass
        try:
            write_file(os.path.join(self.stage, rel), data)
        except OSError as exc:
            raise OutputFailed(explain(exc, self.output / rel)) from None
        return True

    def put(self, rel: str, data: bytes) -> None:
        self.record(rel, self.stage_file(rel, data))

    def record(self, rel: str, changed: bool) -> None:
        """Account for a file that another process staged (or found unchanged)."""
        self.produced.add(rel)
        if changed:
            self.changed.append(rel)
        else:
            self.unchanged += 1

    def current(self, rel: str) -> Path:
        """Where the bytes of a produced file are now: staged when changed, else in output/."""
        staged = self.stage / rel
        return staged if staged.is_file() else self.output / rel

    def keep_existing(self, prefix: str) -> bool:
        """Mark the files already under ``prefix`` in output/ as produced (reused as they are)."""
        folder = self.output / prefix
        if not folder.is_dir():
            return False
        for path in folder.rglob("*"):
            if path.is_file():
                self.produced.add(path.relative_to(self.output).as_posix())
                self.unchanged += 1
        return True

    def keep_listed(self, rels: list[str]) -> bool:
        """Mark these files of output/ as produced (reused as they are) if every one is
        there (looked up in the stats of :meth:`scan` when it ran); False, and nothing
        marked, if any is missing."""
        if not rels or not all(
            (rel in self.stats) if self.scanned else (self.output / rel).is_file() for rel in rels
        ):
            return False
        self.produced.update(rels)
        self.unchanged += len(rels)
        return True

    def copy(self, rel: str, source: Path) -> None:
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise OutputFailed(explain(exc, source, N_("could not be read"))) from None
        self.put(rel, data)

    def scan(self) -> dict[str, list[int]]:
        """Read the output folder's file stats once (the cache compares against them)."""
        self.stats = {}
        file_stats(self.output, self.stats)
        self.scanned = True
        return self.stats

    def commit(self, prune: bool = True) -> int:
        """Switch the staged files in and, with ``prune``, remove the files the last build
        wrote that this one did not; returns files removed. All or nothing: on any error
        the output is put back as it was and :class:`OutputFailed` is raised.

        Without ``prune`` (the dev server's quick path, which re-renders pages a full build
        made) the marker is not read. Afterwards ``stats`` holds [size, mtime_ns] of every
        file in the output folder.
        """
        if self.fresh and not self.output.exists():
            return self._first_commit()
        if not self.scanned:
            self.scan()
        stale: list[str] = []
        if prune:
            stale = self._plan()
        journal = Journal(self.output, self.backup)
        rel = ""
        try:
            for rel in stale:
                journal.remove(rel)
            for rel in self.changed:
                journal.place(rel, os.path.join(self.stage, rel))
                stat = os.stat(os.path.join(self.output, rel))
                self.stats[rel] = [stat.st_size, stat.st_mtime_ns]
        except BaseException as exc:
            self._roll_back(journal, exc, rel)
            raise
        for rel in stale:
            self.stats.pop(rel, None)
            self._prune_folders(rel)
        self.abort()
        return len(stale)

    def _first_commit(self) -> int:
        """A first build: the staged tree is the whole output; one rename puts it in place."""
        try:
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self.stage.mkdir(parents=True, exist_ok=True)
            os.replace(self.stage, self.output)
        except OSError as exc:
            self.abort()
            raise OutputFailed(explain(exc, self.output, N_("could not be put in place"))) from None
        self.abort()
        self.scan()
        return 0

    def _plan(self) -> list[str]:
        """The files to remove; refuses (before anything is touched) to replace a file
        sitegen did not write. Notes such files elsewhere in ``foreign``."""
        owned = set(self.stats) if self.force else (read_manifest(self.output) or set())
        kept = tuple(self.kept)
        stale = []
        foreign = []
        for rel in self.stats:
            if rel in self.produced or rel == MARKER or rel.startswith(kept):
                continue
            (stale if rel in owned else foreign).append(rel)
        owned.add(MARKER)
        clash = sorted(rel for rel in self.changed if rel in self.stats and rel not in owned)
        if clash:
            self.abort()
            raise OutputFailed(
                Problem(
                    str(self.output / clash[0]),
                    _(
                        "this build makes a file here, but the file there was not written by "
                        "sitegen (nor were {files})",
                        files=listing(clash[1:]),
                    )
                    if clash[1:]
                    else _(
                        "this build makes a file here, but the file there was not written by sitegen"
                    ),
                    None,
                    _("move it out of the output folder, or build with --force to replace it"),
                )
            )
        self.foreign = sorted(foreign)
        return stale

    def _roll_back(self, journal: Journal, exc: BaseException, rel: str) -> None:
        failed = journal.undo()
        if failed:
            # Keep the backup: it holds the old files that could not be put back.
            raise OutputFailed(
                Problem(
                    str(self.output),
                    _(
                        "switching to the new output failed at {file} and {count} old "
                        "file(s) could not be put back: {files}",
                        file=rel,
                        count=len(failed),
                        files=listing(failed),
                    ),
                    None,
                    _(
                        "their old copies are in {folder}; move them back by hand",
                        folder=self.backup,
                    ),
                )
            ) from None
        self.abort()
        if isinstance(exc, OSError):
            raise OutputFailed(
                explain(exc, self.output / rel, N_("could not be switched in"))
            ) from None

    def _prune_folders(self, rel: str) -> None:
        folder = os.path.dirname(os.path.join(self.output, rel))
        top = str(self.output)
        while folder != top:
            try:
                os.rmdir(folder)
            except OSError:
                return  # not empty, or gone
            folder = os.path.dirname(folder)

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
