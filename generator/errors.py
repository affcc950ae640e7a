"""Build problems as values: a file, a line, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .messages import _


@dataclass(frozen=True)
class Problem:
    """One error or warning, printed as ``path:line: message (hint)``."""

    path: str
    message: str
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.hint:
            return _(
                "{where}: {message} ({hint})", where=where, message=self.message, hint=self.hint
            )
        return _("{where}: {message}", where=where, message=self.message)


@dataclass
class Diagnostics:
    """Collects every problem of one build so that all of them are shown together."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    _warned: set[Problem] = field(default_factory=set, repr=False)

    def error(
        self, path: str | Path, message: str, line: int | None = None, hint: str = ""
    ) -> None:
        self.errors.append(Problem(str(path), message, line, hint))

    def warn(self, path: str | Path, message: str, line: int | None = None, hint: str = "") -> None:
        problem = Problem(str(path), message, line, hint)
        if problem not in self._warned:  # a set: a site with thousands of warnings stays fast
            self._warned.add(problem)
            self.warnings.append(problem)

    def merge_repeats(self, problems: list[Problem]) -> None:
        """Add problems, folding the same error met on many pages (one broken template)
        into one, with how many more pages it broke."""
        seen: dict[tuple, list] = {}
        for problem in problems:
            key = (problem.path, problem.line, problem.message)
            if key in seen:
                seen[key][1] += 1
            else:
                seen[key] = [problem, 0]
        for problem, more in seen.values():
            if more:
                hint = (
                    _(
                        "{hint}; and {count} more page(s) with the same error",
                        hint=problem.hint,
                        count=more,
                    )
                    if problem.hint
                    else _("and {count} more page(s) with the same error", count=more)
                )
                problem = Problem(problem.path, problem.message, problem.line, hint)
            self.errors.append(problem)

    @property
    def ok(self) -> bool:
        return not self.errors


class BuildFailed(Exception):
    """Raised when a build stops on errors; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
