"""Build problems as values: a file, a line, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One error or warning, printed as ``path:line: message (hint)``."""

    path: str
    message: str
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class Diagnostics:
    """Collects every problem of one build so that all of them are shown together."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(
        self, path: str | Path, message: str, line: int | None = None, hint: str = ""
    ) -> None:
        self.errors.append(Problem(str(path), message, line, hint))

    def warn(self, path: str | Path, message: str, line: int | None = None, hint: str = "") -> None:
        problem = Problem(str(path), message, line, hint)
        if problem not in self.warnings:
            self.warnings.append(problem)

    def extend(self, other: Diagnostics) -> None:
        self.errors.extend(other.errors)
        for warning in other.warnings:
            if warning not in self.warnings:
                self.warnings.append(warning)

    @property
    def ok(self) -> bool:
        return not self.errors


class BuildFailed(Exception):
    """Raised when a build stops on errors; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
