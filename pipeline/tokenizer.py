"""The project's tokenizer: spaCy's English rules plus splits that press releases need.

Registered as `pressdeals.Tokenizer.v1` (entry point `spacy_tokenizers`) so configs use
`[nlp.tokenizer] @tokenizers = "pressdeals.Tokenizer.v1"`.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.lang.en import English
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# Distribution headers glue agencies to slashes and '=': "/PRNewswire=KYODO JBN/ --".
EXTRA_PREFIXES = [r"/"]
EXTRA_SUFFIXES = [r"/"]
EXTRA_INFIXES = [r"(?<=[A-Za-z])[=/](?=[A-Za-z])"]


def make_tokenizer(nlp: Language) -> Tokenizer:
    defaults = English.Defaults
    prefixes = list(nlp.Defaults.prefixes or defaults.prefixes) + EXTRA_PREFIXES
    suffixes = list(nlp.Defaults.suffixes or defaults.suffixes) + EXTRA_SUFFIXES
    infixes = list(nlp.Defaults.infixes or defaults.infixes) + EXTRA_INFIXES
    return Tokenizer(
        nlp.vocab,
        rules=nlp.Defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(prefixes).search,
        suffix_search=compile_suffix_regex(suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=nlp.Defaults.token_match,
        url_match=nlp.Defaults.url_match,
    )


def create_tokenizer() -> Callable[[Language], Tokenizer]:
    return make_tokenizer


def blank_nlp() -> Language:
    """A blank English pipeline with the project's tokenizer (for corpus conversion)."""
    nlp = English()
    nlp.tokenizer = make_tokenizer(nlp)
    return nlp
