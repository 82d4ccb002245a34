"""The project's tokenizer: the splits press releases need, and what it keeps whole."""

import pytest

from pressdeals.pipeline.currency import GLUED_ONLY, currency_of, prefix_markers
from pressdeals.pipeline.normalize import parse_money


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("RMB500m.", ["RMB", "500", "m", "."]),
        ("/PRNewswire=KYODO JBN/ --", ["/", "PRNewswire", "=", "KYODO", "JBN", "/", "--"]),
        ("40-50 projects", ["40", "-", "50", "projects"]),
        ("date 2023-08-28 Deals", ["date", "2023-08-28", "Deals"]),
        ("(2025-09-14),", ["(", "2025-09-14", ")", ","]),
        ("云南日报", ["云", "南", "日", "报"]),
        # glued currency codes and symbols the tokenizer used to keep whole (issue 9, item 7)
        ("NPR4.2bn", ["NPR", "4.2bn"]),
        ("TRY2.6bn", ["TRY", "2.6bn"]),
        ("JPY300bn", ["JPY", "300bn"]),
        ("Sh107 billion", ["Sh", "107", "billion"]),
        ("GH₵4.6 billion", ["GH₵", "4.6", "billion"]),
        ("NT$5bn", ["NT$", "5bn"]),
        ("Tk.410 crore", ["Tk.", "410", "crore"]),
        ("S/690 million", ["S/", "690", "million"]),
        ("(RMB500m)", ["(", "RMB", "500", "m", ")"]),
        # single letters and names stay whole: "R2.5" as before, "N95", "COP28"
        ("R2.5 billion", ["R2.5", "billion"]),
        ("N95 masks", ["N95", "masks"]),
        ("COP28 talks", ["COP28", "talks"]),
        ("COP1.1tn", ["COP", "1.1tn"]),
    ],
)
def test_tokenizer_splits(blank, text, tokens):
    assert [t.text for t in blank(text)] == tokens


@pytest.mark.parametrize("marker", prefix_markers())
def test_every_glued_currency_splits_and_reads(blank, marker):
    """Every code and symbol of the currency table splits off a glued amount, and the
    normaliser reads the glued form as that currency (ambiguous ones: their default)."""
    tokens = [t.text for t in blank(f"worth {marker}12.5bn.")]
    assert tokens == ["worth", marker, "12.5bn", "."]
    parsed = parse_money(f"{marker}12.5bn")
    assert parsed.amount == pytest.approx(12.5e9)
    assert parsed.currency == currency_of(marker)


@pytest.mark.parametrize("letter", sorted(GLUED_ONLY))
def test_single_letter_currencies_stay_glued_but_read(blank, letter):
    assert [t.text for t in blank(f"{letter}12.5bn")] == [f"{letter}12.5bn"]
    parsed = parse_money(f"{letter}12.5bn")
    assert parsed.amount == pytest.approx(12.5e9)
    assert parsed.currency == GLUED_ONLY[letter]


def test_glued_currency_prefix_only_matches_at_the_start():
    """Every alternative of the currency prefix is anchored: a marker inside a word
    ("XCOP1.5bn") is not a prefix (an unanchored one also made every search scan the word)."""
    from pressdeals.pipeline.tokenizer import blank_nlp

    search = blank_nlp().tokenizer.prefix_search
    assert search("XCOP1.5bn") is None
    assert search("dCOP800m") is None
    assert search("COP1.1tn").group() == "COP"
    assert search("KSh3bn").group() == "KSh"
