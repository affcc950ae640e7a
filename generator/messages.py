"""The one door for sentences sitegen prints: ``_("text {name}", name=value)``.

A stand-in until the "messages" work brings the gettext loader of
``generator/locale/zh_CN/*.po``: the English text is the message id, filled in with its
named parameters (never sentence pieces glued together).
"""

from __future__ import annotations


def _(message: str, /, **params: object) -> str:
    return message.format(**params) if params else message
