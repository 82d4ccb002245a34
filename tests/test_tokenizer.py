"""The project's tokenizer: the splits press releases need, and what it keeps whole."""

import pytest


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("RMB500m.", ["RMB", "500", "m", "."]),
        ("/PRNewswire=KYODO JBN/ --", ["/", "PRNewswire", "=", "KYODO", "JBN", "/", "--"]),
        ("40-50 projects", ["40", "-", "50", "projects"]),
        ("date 2023-08-28 Deals", ["date", "2023-08-28", "Deals"]),
        ("(2025-09-14),", ["(", "2025-09-14", ")", ","]),
        ("云南日报", ["云", "南", "日", "报"]),
    ],
)
def test_tokenizer_splits(blank, text, tokens):
    assert [t.text for t in blank(text)] == tokens
