"""Money and count parsers: known cases exact, and no crash on any string."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pressdeals.pipeline.normalize import parse_count, parse_money


@pytest.mark.parametrize(
    "text, amount, currency, approx",
    [
        ("380.5 Billion Yuan", 380.5e9, "CNY", None),
        ("RMB 13.6 billion", 13.6e9, "CNY", None),
        ("more than 240 billion yuan", 240e9, "CNY", "more than"),
        ("approximately 11.59 billion U.S. dollars", 11.59e9, "USD", "approximately"),
        ("US$17.623 billion", 17.623e9, "USD", None),
        ("CN¥110.04 billion", 110.04e9, "CNY", None),
        ("Rs 5,000 crore", 5000e7, "INR", None),
        ("₹1.2 lakh crore", 1.2e12, "INR", None),
        ("Rs. 850 crore", 850e7, "INR", None),
        ("₹45 lakh", 45e5, "INR", None),
        ("AED 3.4 billion", 3.4e9, "AED", None),
        ("SR 2 billion", 2e9, "SAR", None),
        ("₦50 billion", 50e9, "NGN", None),
        ("N50bn", 50e9, "NGN", None),
        ("KSh 3.2 billion", 3.2e9, "KES", None),
        ("Sh8.4 billion", 8.4e9, "KES", None),
        ("R2.5 billion", 2.5e9, "ZAR", None),
        ("€1.2bn", 1.2e9, "EUR", None),
        ("£300m", 300e6, "GBP", None),
        ("C$45 million", 45e6, "CAD", None),
        ("VND 20 trillion", 20e12, "VND", None),
        ("RM1.5 billion", 1.5e9, "MYR", None),
        ("3.2 billion baht", 3.2e9, "THB", None),
        ("48 billion rubles", 48e9, "RUB", None),
        ("₸120 billion", 120e9, "KZT", None),
        ("1.4 trillion Uzbek sum", 1.4e12, "UZS", None),
        ("AZN 85 million", 85e6, "AZN", None),
        ("about 310 billion tugriks", 310e9, "MNT", "about"),
        ("2.6 billion Turkish lira", 2.6e9, "TRY", None),
        ("NPR 4.2 billion", 4.2e9, "NPR", None),
        ("6.5-billion-yuan", 6.5e9, "CNY", None),
        ("Rs 600-crore", 600e7, "INR", None),
        ("INR 1,18,420 crore", 118420e7, "INR", None),
        ("88,000 ten-thousand yuan", 88000e4, "CNY", None),
        ("ten thousand yuan", 1e4, "CNY", None),
        ("~US$167 million", 167e6, "USD", "~"),
        ("RM520mil", 520e6, "MYR", None),
        ("RO 96 million", 96e6, "OMR", None),
        ("nearly $40 million", 40e6, "USD", "nearly"),
        ("241.537 billion", 241.537e9, None, None),
    ],
)
def test_known_money(text, amount, currency, approx):
    parsed = parse_money(text)
    assert parsed.amount == pytest.approx(amount)
    assert (parsed.currency, parsed.approximator, parsed.reason) == (currency, approx, None)


def test_money_range_keeps_both_ends():
    parsed = parse_money("$2-3 billion")
    assert (parsed.amount, parsed.amount_max, parsed.currency) == (2e9, 3e9, "USD")
    parsed = parse_money("between €2 and €3 billion")
    assert (parsed.amount, parsed.amount_max, parsed.currency) == (2e9, 3e9, "EUR")


@pytest.mark.parametrize("text", ["a large sum", "12 widgets", "$", "thousands of dollars"])
def test_unreadable_money_keeps_a_reason(text):
    parsed = parse_money(text)
    assert parsed.amount is None and parsed.reason


@pytest.mark.parametrize(
    "text, value, value_max, approx",
    [
        ("137 Projects", 137, None, None),
        ("1,577 agreements", 1577, None, None),
        ("57,241 visitors", 57241, None, None),
        ("one hundred entrepreneurs", 100, None, None),
        ("More than one hundred entrepreneurs", 100, None, "more than"),
        ("Fifty-two deals", 52, None, None),
        ("nearly 40 MoUs", 40, None, "nearly"),
        ("40 to 50 projects", 40, 50, None),
        ("59", 59, None, None),
        ("Six sections", 6, None, None),
        ("a dozen contracts", 12, None, None),
        ("one hundred and twenty projects", 120, None, None),
    ],
)
def test_known_counts(text, value, value_max, approx):
    parsed = parse_count(text)
    assert (parsed.value, parsed.value_max, parsed.approximator, parsed.reason) == (
        value,
        value_max,
        approx,
        None,
    )


def test_unreadable_count_keeps_a_reason():
    parsed = parse_count("thousands of products")
    assert parsed.value is None and "no number" in parsed.reason


@given(st.text())
def test_parsers_never_crash(text):
    money, count = parse_money(text), parse_count(text)
    assert money.amount is not None or money.reason
    assert count.value is not None or count.reason


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["projects", "deals", "MoUs"]))
def test_any_digit_count_round_trips(n, noun):
    assert parse_count(f"{n:,} {noun}").value == n
    assert parse_count(f"{n} {noun}").value == n


@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    st.sampled_from([("million", 1e6), ("billion", 1e9), ("crore", 1e7)]),
)
def test_any_amount_with_scale_parses(value, scale):
    word, factor = scale
    parsed = parse_money(f"{value} {word} yuan")
    assert parsed.currency == "CNY"
    assert parsed.amount == pytest.approx(float(value) * factor)
