"""Stand-in for the messages module of the "messages" branch (``_(english, **params)``).

Only what this branch uses: the English text, its ``{placeholders}`` filled in. At the
merge the real module (catalogues from ``generator/locale/<lang>/*.po``) replaces this file.
"""

from __future__ import annotations


def _(text: str, **params: object) -> str:
    return text.format(**params) if params else text
