"""Translatable messages: ``_("English text {name}", name=value)``.

A minimal stand-in until the helper "messages" lands its loader of
``generator/locale/zh_CN/*.po``: the English text is the message id, formatted with the
named values. The real loader replaces this file.
"""

from __future__ import annotations

from typing import Any


def _(message: str, **values: Any) -> str:
    return message.format(**values) if values else message
