"""The project's tokenizer: spaCy's English rules plus splits that press releases need.

Registered as `pressdeals.Tokenizer.v1` (entry point `spacy_tokenizers`) so configs use
`[nlp.tokenizer] @tokenizers = "pressdeals.Tokenizer.v1"`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.lang.en import English
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from pressdeals.pipeline.currency import glued_prefix_pattern

# Currency codes and symbols glued to amounts ("RMB500m", "KSh3bn", "JPY300bn", "NT$5bn") split
# off like "$" does; the markers come from the one currency table (`currency.py`).
GLUED_CURRENCY = glued_prefix_pattern()
# Distribution headers glue agencies to slashes, '=' and dashes: "/PRNewswire=KYODO JBN/ --",
# "HOUSTON--(BUSINESS WIRE)--The", "(EFE).- Spanish".
# French elision before a name ("l'AMDIE"), suspended hyphens ("Saudi Arabia- and Oman-based"),
# a full stop after a mixed-case acronym ("GmbH.", "UzA."), and CJK text, which has no spaces:
# each CJK character is a token of its own so that names inside it can be spans.
CJK = r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
EXTRA_PREFIXES = [r"/", GLUED_CURRENCY, r"[dDlL]['’](?=[A-ZÀ-Ý])", CJK]
EXTRA_SUFFIXES = [r"/", r"(?<=[.)])-", r"(?<=[A-Za-z])-", r"(?<=[a-z][A-Z])\.", CJK]
EXTRA_INFIXES = [
    r"(?<=[A-Za-z])[=/](?=[A-Za-z])", r"--+", r"—", r"(?<=-)[(]", r"[)](?=-)", CJK,
]
# ISO dates stay whole: split, "2023-08-28 Investment Deals" reads as a count of 28 deals
ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
# "m." would otherwise stay one token at a sentence end ("RMB500m."): scale letter + full stop
DROPPED_EXCEPTIONS = ("m.", "M.")


def make_tokenizer(nlp: Language) -> Tokenizer:
    defaults = English.Defaults
    prefixes = list(nlp.Defaults.prefixes or defaults.prefixes) + EXTRA_PREFIXES
    suffixes = list(nlp.Defaults.suffixes or defaults.suffixes) + EXTRA_SUFFIXES
    # ours first: at the same position the first alternative wins ("2025--Haeyang")
    infixes = EXTRA_INFIXES + list(nlp.Defaults.infixes or defaults.infixes)
    rules = {
        k: v for k, v in nlp.Defaults.tokenizer_exceptions.items() if k not in DROPPED_EXCEPTIONS
    }
    return Tokenizer(
        nlp.vocab,
        rules=rules,
        prefix_search=compile_prefix_regex(prefixes).search,
        suffix_search=compile_suffix_regex(suffixes).search,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=ISO_DATE.match,
        url_match=nlp.Defaults.url_match,
    )


def create_tokenizer() -> Callable[[Language], Tokenizer]:
    return make_tokenizer


def blank_nlp() -> Language:
    """A blank English pipeline with the project's tokenizer (for corpus conversion)."""
    nlp = English()
    nlp.tokenizer = make_tokenizer(nlp)
    return nlp
