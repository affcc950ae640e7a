"""Messages shown to editors, looked up in one catalogue by their English text.

Every sentence sitegen prints goes through ``_()``: ``_("attachment file does not exist: {path}",
path=shown)``. The English text is the message id; a catalogue gives the same sentence in the
editor's language. Never build a sentence by concatenating pieces: pass the changing parts as
named parameters.
"""

from __future__ import annotations


def _(text: str, /, **params: object) -> str:
    """The sentence ``text`` in the current language, with ``params`` filled in."""
    return text.format(**params) if params else text
