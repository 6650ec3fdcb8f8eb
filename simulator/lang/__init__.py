"""The user's language: which one a command speaks, and each of its texts in it.

Below the command line and the drill host alike, which both speak through it; it imports nothing
heavier than the standard library, so building the parser stays light.
"""

from .choose import LANGS, Lang, default_lang, lang_in, lang_of
from .translate import find, tr, tr_located

__all__ = ["LANGS", "Lang", "default_lang", "find", "lang_in", "lang_of", "tr", "tr_located"]
