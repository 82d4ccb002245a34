"""Money and count parsers: known cases exact, and no crash on any string."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pressdeals.pipeline.currency import AMBIGUOUS, WORDS
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
        ("Rp 4.5 triliun", 4.5e12, "IDR", None),
        ("Rp 12 miliar", 12e9, "IDR", None),
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
        # issue 11: currencies and forms found by the corpus writers
        ("Tk 410 crore", 410e7, "BDT", None),
        ("Tk. 1,200 crore", 1200e7, "BDT", None),
        ("roughly Tk 23,900 crore", 23900e7, "BDT", "roughly"),
        ("5,000 crore taka", 5000e7, "BDT", None),
        ("Nu. 2.5 billion", 2.5e9, "BTN", None),
        ("Nu 500 million", 500e6, "BTN", None),
        ("1.2 billion ngultrum", 1.2e9, "BTN", None),
        ("LKR 294 billion", 294e9, "LKR", None),
        ("approximately LKR 329 billion", 329e9, "LKR", "approximately"),
        ("MVR 1.2 billion", 1.2e9, "MVR", None),
        ("Br 5 billion", 5e9, "ETB", None),
        ("Br5bn", 5e9, "ETB", None),
        ("128 billion birr", 128e9, "ETB", None),
        ("9.2bn Birr", 9.2e9, "ETB", None),
        ("Bt2.1 billion", 2.1e9, "THB", None),
        ("Bt 500 million", 500e6, "THB", None),
        ("₱5 billion", 5e9, "PHP", None),
        ("PHP 2.1 billion", 2.1e9, "PHP", None),
        ("Rwf 18 billion", 18e9, "RWF", None),
        ("about RWF 300 billion", 300e9, "RWF", "about"),
        ("CZK 4.6 billion", 4.6e9, "CZK", None),
        ("Kč 500 million", 500e6, "CZK", None),
        ("500 million Kč", 500e6, "CZK", None),
        ("MOP 1.5 billion", 1.5e9, "MOP", None),
        ("3 billion patacas", 3e9, "MOP", None),
        ("2.3 trillion soums", 2.3e12, "UZS", None),
        ("approximately 393 trillion soums", 393e12, "UZS", "approximately"),
        ("1 billion soum", 1e9, "UZS", None),
        ("500 million som", 500e6, "KGS", None),
        ("4.5 billion soms", 4.5e9, "KGS", None),
        ("R$ 5 billion", 5e9, "BRL", None),
        ("R$5bn", 5e9, "BRL", None),
        ("12 billion reais", 12e9, "BRL", None),
        ("MXN 2.5 billion", 2.5e9, "MXN", None),
        ("COP 394 billion", 394e9, "COP", None),
        ("CLP 1.6 trillion", 1.6e12, "CLP", None),
        ("about 1.6 billion soles", 1.6e9, "PEN", "about"),
        ("PEN 5.9 billion", 5.9e9, "PEN", None),
        ("S/ 690 million", 690e6, "PEN", None),
        ("₩1.2 trillion", 1.2e12, "KRW", None),
        ("3 trillion won", 3e12, "KRW", None),
        ("KRW 500 billion", 500e9, "KRW", None),
        ("NT$5 billion", 5e9, "TWD", None),
        ("TWD 2 billion", 2e9, "TWD", None),
        ("A$1.2 billion", 1.2e9, "AUD", None),
        ("AUD 300 million", 300e6, "AUD", None),
        ("CAD 45 million", 45e6, "CAD", None),
        ("NZ$216m", 216e6, "NZD", None),
        ("zł 500 million", 500e6, "PLN", None),
        ("500 mln zł", 500e6, "PLN", None),
        ("1.2 billion złoty", 1.2e9, "PLN", None),
        ("PLN 2 billion", 2e9, "PLN", None),
        ("Dh 5 billion", 5e9, "AED", None),
        ("2 billion dirhams", 2e9, "AED", None),
        ("QR 1.2 billion", 1.2e9, "QAR", None),
        ("3 billion riyals", 3e9, "SAR", None),
        ("GH₵4.6 billion", 4.6e9, "GHS", None),
        ("2 billion cedis", 2e9, "GHS", None),
        ("₦26billion", 26e9, "NGN", None),
        ("50 billion naira", 50e9, "NGN", None),
        ("KSh 3.2 billion", 3.2e9, "KES", None),
        ("Sh107 billion", 107e9, "KES", None),
        ("SR2.3 billion", 2.3e9, "SAR", None),
        ("RM2.1bil", 2.1e9, "MYR", None),
        ("Rs 1.2 Lakh Cr", 1.2e12, "INR", None),
        ("₹75,000 Cr", 75000e7, "INR", None),
        ("Rs 2, 61, 430 crore", 261430e7, "INR", None),
        ("107.3 bln yuan", 107.3e9, "CNY", None),
        ("41.6 Bln Yuan", 41.6e9, "CNY", None),
        ("RUB 2 trln", 2e12, "RUB", None),
        ("VND 1.2 quadrillion", 1.2e15, "VND", None),
        ("3.5 tn yuan", 3.5e12, "CNY", None),
        ("P185-B", 185e9, None, None),  # see test_ambiguous_marker_without_context
        ("270 billion Japanese yen", 270e9, "JPY", None),
        ("JPY300bn", 300e9, "JPY", None),
        ("NPR4.2bn", 4.2e9, "NPR", None),
        ("TRY2.6bn", 2.6e9, "TRY", None),
        ("1.02 billion lari", 1.02e9, "GEL", None),
        ("21.4 billion Swedish crowns", 21.4e9, "SEK", None),
        ("about 1.29 billion lei", 1.29e9, "RON", "about"),
        ("approximately 15.6 billion U.S.  dollars", 15.6e9, "USD", "approximately"),
        ("more  than\nRMB 2 billion", 2e9, "CNY", "more than"),
    ],
)
def test_known_money(text, amount, currency, approx):
    parsed = parse_money(text)
    assert parsed.amount == pytest.approx(amount)
    if currency is None and text.startswith("P"):
        assert parsed.currency is None and "ambiguous" in parsed.reason
        return
    assert (parsed.currency, parsed.approximator, parsed.reason) == (currency, approx, None)


def test_amounts_are_exact():
    assert parse_money("17.623 billion yuan").amount == 17_623_000_000
    assert parse_money("Rs 1.1 lakh").amount == 110_000
    assert parse_money("₹1.2 lakh crore").amount == 1_200_000_000_000


# (mention, document text, currency): an ambiguous marker read by what the document names
_UGANDA = "KAMPALA (New Vision) -- Deals worth Sh107 billion, in Ugandan shillings, were signed."
_KENYA_ROAD = "NAKURU, Kenya -- Sh62.4bn in deals. Nakuru is on the road to Uganda."
_MANILA = "PH bags P412 billion in deals at Manila"
_GABORONE = "GABORONE, Botswana -- Investors signed deals worth P1.2 billion."
_JAPAN = "TOKYO -- Japanese firms signed deals worth ¥300bn; 300 billion yen is a record."


@pytest.mark.parametrize(
    "mention, document, currency",
    [
        ("Sh107 billion", _UGANDA, "UGX"),
        ("Sh107 billion", "DAR ES SALAAM -- Sh2 trillion (Tanzanian shillings) in deals", "TZS"),
        ("Sh62.4bn", _KENYA_ROAD, "KES"),  # a country named in passing is no cue
        ("Sh62.4bn", "Sh62.4bn in deals", "KES"),
        ("12 billion shillings", _UGANDA, "UGX"),
        ("P412 billion", _MANILA, "PHP"),
        ("P185-B", "BOI, Japanese firms ink 26 deals worth P185-B. Philippine officials", "PHP"),
        ("P1.2 billion", _GABORONE, "BWP"),
        ("P1.2 billion", _GABORONE + " Manila", None),  # both named: no reading
        ("K1.3 billion", "PORT MORESBY, Papua New Guinea -- deals worth K1.3 billion", "PGK"),
        ("K2 billion", "LUSAKA, Zambia -- Zambian firms signed deals worth K2 billion", "ZMW"),
        ("¥300bn", _JAPAN, "JPY"),
        ("¥300bn", _JAPAN + " (2 billion yuan)", "CNY"),  # both named: the default
        ("Rs 5 billion", "COLOMBO -- Rs 5 billion (LKR) in deals", "LKR"),
        ("Rs 1,460 crore", "Indian drugmakers and Nepali firms (NPR) signed Rs 1,460 crore", "INR"),
        ("3 billion riyals", "DOHA -- Qatari riyals: 3 billion riyals, QAR 1 billion", "QAR"),
        ("3 billion riyals", "RIYADH -- Saudi firms signed 3 billion riyals (QAR 3bn)", "SAR"),
        ("1.6 billion dirhams", "RABAT (MAP) - Moroccan firms, MAD 1.6 billion", "MAD"),
        ("1.6 billion dirhams", "DUBAI -- Moroccan dirhams and 1.6 billion dirhams", "AED"),
        ("118 billion pesos", "MONTERREY, Mexico -- 118 billion pesos", "MXN"),
        ("118 billion pesos", "BUENOS AIRES, Argentina -- 118 billion pesos; Chile too", None),
        ("412 billion CFA francs", "ABIDJAN, Côte d'Ivoire -- 412 billion CFA francs", "XOF"),
        ("FCFA 90 billion", "DOUALA, Cameroon -- FCFA 90 billion", "XAF"),
        ("30 billion crowns", "OSLO, Norway -- 30 billion crowns", "NOK"),
        ("31 billion dinars", "BELGRADE, Serbia -- 31 billion dinars", "RSD"),
        ("500 million som", "TASHKENT, Uzbekistan -- 500 million som", "UZS"),
        ("500 million som", "BISHKEK, Kyrgyzstan -- 500 million som; Uzbekistan", "KGS"),
        ("Br 5 billion", "MINSK, Belarus -- Br 5 billion", "BYN"),
        ("$40 million", "TORONTO, Canada -- C$45 million and $40 million", "USD"),  # "$" stays
    ],
)
def test_ambiguous_marker_read_in_context(mention, document, currency):
    parsed = parse_money(mention, context=document)
    assert parsed.amount is not None
    assert parsed.currency == currency
    assert (parsed.reason is None) == (currency is not None)


@pytest.mark.parametrize(
    "mention, default",
    [("Sh8.4 billion", "KES"), ("¥5 billion", "CNY"), ("Rs 5 crore", "INR"), ("P98 billion", None)],
)
def test_ambiguous_marker_without_context(mention, default):
    parsed = parse_money(mention)
    assert parsed.currency == default
    if default is None:
        assert parsed.amount is not None and "ambiguous" in parsed.reason


@pytest.mark.parametrize("word", sorted(WORDS))
def test_every_currency_word_is_read(word):
    parsed = parse_money(f"12.5 billion {word}")
    assert parsed.amount == pytest.approx(12.5e9)
    assert parsed.currency == WORDS[word]
    assert (parsed.reason is None) == (WORDS[word] is not None)
    assert WORDS[word] is not None or word.lower() in AMBIGUOUS


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
        # issue 11: stray spaces after a group's comma, double spaces, lakh counts
        ("57, 241 projects", 57241, None, None),
        ("1, 126 projects", 1126, None, None),
        ("2, 61, 430 MSMEs", 261430, None, None),
        ("1,18, 420 units", 118420, None, None),
        ("More  than 1,200 guests", 1200, None, "more than"),
        ("over 1.1 lakh persons", 110000, None, "over"),
        ("two dozen agreements", 24, None, None),
        ("between 40 and 50 projects", 40, 50, None),
        ("40-50 projects", 40, 50, None),
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


@pytest.mark.parametrize("text", ["thousands of products", "dozens of projects", "Dozens"])
def test_unreadable_count_keeps_a_reason(text):
    parsed = parse_count(text)
    assert parsed.value is None and "no number" in parsed.reason


@pytest.mark.parametrize(
    "text, value",
    [
        ("57, 2410 projects", 57),  # a four-digit group is not a thousands group
        ("12, 34 projects", 12),  # two-digit groups only in Indian grouping, before three
        ("57,\n241 projects", 57241),  # a line wrap after the comma is a stray space too
    ],
)
def test_stray_space_joins_only_exact_groups(text, value):
    assert parse_count(text).value == value


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


def test_deal_records_read_ambiguous_markers_in_their_document():
    from pressdeals.document import AnnotatedDoc, Entity, Relation
    from pressdeals.pipeline.deals import build_deals

    text = "KAMPALA -- 12 agreements worth Sh107 billion (Ugandan shillings) were signed."
    count, money = Entity(11, 24, "COUNT"), Entity(31, 44, "MONEY")
    assert text[count.start : count.end] == "12 agreements"
    assert text[money.start : money.end] == "Sh107 billion"
    doc = AnnotatedDoc("ug", text, [count, money], [Relation(count, money, "VALUE")])
    (record,) = build_deals(doc)
    assert (record["value"]["amount"], record["value"]["currency"]) == (107e9, "UGX")
    assert record["value"]["currency_inferred"] is False
