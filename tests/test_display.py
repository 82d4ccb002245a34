"""The analyst's view: the `--html` page (formatted facts, inferred marks, alias groups,
relation diagrams whose labels stay clear, escaping), the displaCy helper, and the brat
configuration of the correction loop."""

from __future__ import annotations

import io
import json
import re
from itertools import combinations
from pathlib import Path

import pytest
from spacy import displacy
from typer.testing import CliRunner

from pressdeals.cli import app
from pressdeals.display import (
    COLORS,
    RELATION_COLORS,
    HtmlPage,
    fit_layout,
    format_amount,
    format_count,
    layout,
    render_svg,
    to_displacy,
)
from pressdeals.schema import ENTITY_LABELS, RELATION_SIGNATURES

from .conftest import ROOT

EVIL = "<script>alert('x')</script>"


def _span(text: str, surface: str, label: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "label": label, "text": surface}


def _record() -> dict:
    """A record as `pressdeals tag` writes it, with markup in every free-text field."""
    text = (
        f"Fuqing Week {EVIL} Closes\n\n"
        "During the 2025 Fuqing Overseas Chinese Week, 37 projects were contracted with "
        "13.28 billion yuan. Of these, 20 projects were worth 7.66 billion.\n"
    )
    count = _span(text, "37 projects", "COUNT")
    money = _span(text, "13.28 billion yuan", "MONEY")
    part = _span(text, "20 projects", "COUNT")
    part_money = _span(text, "7.66 billion", "MONEY")
    week_title = _span(text, "Fuqing Week", "EVENT")
    week = _span(text, "2025 Fuqing Overseas Chinese Week", "EVENT")
    evil_ent = _span(text, EVIL, "ORG")
    return {
        "id": f"doc-{EVIL}",
        "source": f"in/{EVIL}.txt",
        "text": text,
        "entities": [week_title, evil_ent, week, count, money, part, part_money],
        "relations": [
            {"label": "VALUE", "head": count, "tail": money, "score": 0.97},
            {"label": "SIGNED_AT", "head": count, "tail": week, "score": 0.81},
            {"label": "VALUE", "head": part, "tail": part_money, "score": 0.9},
        ],
        "aliases": [[week_title, week]],
        "deals": [],
        "facts": [
            {
                "fact": 0,
                "count": 37,
                "count_max": None,
                "count_approximator": None,
                "amount": 13280000000.0,
                "amount_max": None,
                "currency": "CNY",
                "currency_inferred": False,
                "value_approximator": None,
                "value_text": "13.28 billion yuan",
                "value_reason": None,
                "event": "2025 Fuqing Overseas Chinese Week",
                "event_inferred": False,
                "part_of": None,
                "mentions": 1,
                "mention_spans": json.dumps([[count["start"], count["end"]]]),
            },
            {
                "fact": 1,
                "count": 20,
                "count_max": None,
                "count_approximator": None,
                "amount": 241537000000.0,
                "amount_max": None,
                "currency": "CNY",
                "currency_inferred": True,
                "value_approximator": "more than",
                "value_text": f"7.66 billion {EVIL}",
                "value_reason": None,
                "event": f"Week {EVIL}",
                "event_inferred": True,
                "part_of": 0,
                "mentions": 1,
                "mention_spans": json.dumps([[part["start"], part["end"]]]),
            },
        ],
        "model": {"name": f"en_{EVIL}", "version": "1.0", "schema_version": 2},
    }


def _page(*records: dict, error: dict | None = None) -> str:
    fh = io.StringIO()
    fh.close = lambda: None  # keep the buffer readable after HtmlPage.close
    page = HtmlPage(fh, title=f"t {EVIL}")
    for record in records:
        page.add(record)
    if error:
        page.error(error)
    page.close()
    return fh.getvalue()


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        ((241537000000.0, None, "CNY"), "241.54 billion CNY"),
        ((13280000000.0, None, "CNY"), "13.28 billion CNY"),
        ((500e6, None, "USD"), "500 million USD"),
        ((1.5e12, None, "INR"), "1.5 trillion INR"),
        ((4500.0, None, "EUR"), "4,500 EUR"),
        ((950000.5, None, None), "950,000.5"),
        ((1.2e9, 1.5e9, "USD"), "1.2–1.5 billion USD"),
        ((900e6, 1.2e9, "USD"), "900 million–1.2 billion USD"),
        ((240e9, None, "CNY", "more than"), "more than 240 billion CNY"),
        ((None, None, "CNY"), ""),
    ],
)
def test_amounts_read_as_an_analyst_writes_them(args, expected):
    assert format_amount(*args) == expected


def test_counts_have_separators_ranges_and_approximators():
    assert format_count(1050, None, "about") == "about 1,050"
    assert format_count(10, 12) == "10–12"
    assert format_count(None) == ""


# --- the page -------------------------------------------------------------------------------


def test_page_escapes_every_field_of_the_record():
    record = _record()
    html = _page(record, error={"id": EVIL, "source": EVIL, "error": EVIL})
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html
    # attributes too: a quote in an id or name cannot close the attribute it sits in
    record = _record()
    record["facts"][0]["currency"] = "CNY' onmouseover='alert(1)"
    record["facts"][0]["amount"] = 5.0
    html = _page(record)
    assert "onmouseover='alert" not in html and "onmouseover=&#x27;alert" in html


def test_page_is_offline_and_scriptless():
    html = _page(_record())
    assert not re.search(r"<script|<link|https?://(?!www\.w3\.org/2000/svg)", html)


def test_facts_table_formats_amounts_and_marks_inferred_values():
    html = _page(_record())
    table = html[html.index("<table class='facts'>") : html.index("</table>")]
    assert "241.54 billion" in table and "13.28 billion" in table
    assert "241537000000" not in html  # no raw float anywhere
    assert "title='241,537,000,000 CNY'" in table  # the exact value on hover
    assert "more than 241.54 billion" in table
    rows = table.split("<tr")[2:]  # header, then one row per fact
    assert len(rows) == 2
    assert "inferred" not in rows[0]
    # the second fact's currency and event are both inferred: two badges, and a part-of
    assert rows[1].count("class='inferred'") == 2 and "⤷ 0" in rows[1]
    assert "“20 projects”" in rows[1]  # its mention, quoted from the text


def test_alias_groups_show_the_canonical_name_with_its_mentions():
    html = _page(_record())
    aliases = html[html.index("<div class='aliases'>") :]
    aliases = aliases[: aliases.index("</div>")]
    assert "<b>2025 Fuqing Overseas Chinese Week</b>" in aliases
    assert "“Fuqing Week”" in aliases and "(2 mentions)" in aliases


def test_every_relation_has_an_arc_and_a_label_in_a_diagram():
    html = _page(_record())
    # two groups of linked entities: (37 projects, 13.28 billion yuan, the Week), (20, 7.66)
    assert html.count("<svg") == 2
    assert html.count("<g class='arc'>") == 3 and html.count("<g class='arc-label'>") == 3
    assert "VALUE 0.97" in html and "SIGNED_AT 0.81" in html


def test_records_without_text_or_relations_still_render():
    record = _record()
    del record["text"]
    record["relations"] = []
    html = _page(record)
    assert "<svg" not in html and "241.54 billion" in html


def test_html_page_on_a_path_is_written_atomically(tmp_path):
    out = tmp_path / "page.html"
    page = HtmlPage(out)
    page.add(_record())
    assert not out.exists() and (tmp_path / "page.html.partial").exists()
    page.close(complete=True)
    assert out.exists() and not (tmp_path / "page.html.partial").exists()
    broken = HtmlPage(tmp_path / "broken.html")
    broken.close(complete=False)
    assert not (tmp_path / "broken.html").exists()


# --- relation diagrams ------------------------------------------------------------------------


def _diagram_relations() -> tuple[str, list[dict]]:
    """Nested, adjacent and long arcs: three counts signed at one long-named event, each with
    its amount, plus a conversion."""
    text = (
        "At the Flower Industry Investment and Trade Signing Ceremony, 44 contracts with a total "
        "value of RMB 4.8 billion (about 660 million US dollars) were signed, including 29 trade "
        "contracts worth RMB 1.9 billion and 15 investment projects worth RMB 2.9 billion."
    )
    event = _span(text, "Flower Industry Investment and Trade Signing Ceremony", "EVENT")
    heads = [_span(text, s, "COUNT") for s in ("44 contracts", "29 trade contracts")]
    heads.append(_span(text, "15 investment projects", "COUNT"))
    tails = [_span(text, s, "MONEY") for s in ("RMB 4.8 billion", "RMB 1.9 billion")]
    tails.append(_span(text, "RMB 2.9 billion", "MONEY"))
    conversion = _span(text, "about 660 million US dollars", "MONEY")
    relations = [{"label": "SIGNED_AT", "head": h, "tail": event, "score": 0.99} for h in heads]
    relations += [
        {"label": "VALUE", "head": h, "tail": t, "score": 1.0}
        for h, t in zip(heads, tails, strict=True)
    ]
    relations.append({"label": "VALUE", "head": heads[0], "tail": conversion, "score": 0.95})
    return text, relations


@pytest.mark.parametrize("narrow", [False, True])
def test_arc_labels_never_cover_each_other_or_an_entity(narrow):
    text, relations = _diagram_relations()
    diagram = fit_layout(text, relations, max_width=300) if narrow else layout(text, relations)
    assert len(diagram.arcs) == len(relations)
    labels = [a.label_box for a in diagram.arcs]
    for a, b in combinations(labels, 2):
        assert not a.overlaps(b)
    for label in labels:
        for node in diagram.nodes:
            assert not label.overlaps(node.box)
    for arc in diagram.arcs:
        # the label sits on its own arc's horizontal line, between its two ends
        left, right = sorted((arc.x_head, arc.x_tail))
        assert left < arc.label_box.x and arc.label_box.x + arc.label_box.w < right
        assert arc.label_box.y < arc.y < arc.label_box.y + arc.label_box.h
    for a, b in combinations(diagram.nodes, 2):
        assert not a.box.overlaps(b.box)


def test_nested_arcs_do_not_cross():
    """An arc inside another (in node order) sits lower, and the outer arc's ends lie outside
    the inner arc's horizontal line, so no line runs through another's label."""
    text, relations = _diagram_relations()
    diagram = layout(text, relations)

    def span(arc):
        return min(arc.head, arc.tail), max(arc.head, arc.tail)

    nested = 0
    for a, b in combinations(diagram.arcs, 2):
        (alo, ahi), (blo, bhi) = span(a), span(b)
        if (blo <= alo and ahi <= bhi) or (alo <= blo and bhi <= ahi):
            inner, outer = (a, b) if bhi - blo > ahi - alo else (b, a)
            if span(inner) == span(outer):
                continue
            nested += 1
            assert inner.level < outer.level
            left, right = sorted((inner.x_head, inner.x_tail))
            for x in (outer.x_head, outer.x_tail):
                assert not left <= x <= right
    assert nested >= 3


def test_labels_are_drawn_after_every_arc_line():
    text, relations = _diagram_relations()
    svg = render_svg(layout(text, relations))
    assert svg.rindex("<g class='arc'>") < svg.index("<g class='arc-label'>")


def test_long_diagrams_narrow_to_fit_and_long_names_keep_a_tooltip():
    text, relations = _diagram_relations()
    wide = layout(text, relations)
    narrow = fit_layout(text, relations, max_width=wide.width - 1)
    assert narrow.width < wide.width
    svg = render_svg(narrow)
    assert "<title>Flower Industry Investment and Trade Signing Ceremony (EVENT)</title>" in svg


# --- the displaCy helper ----------------------------------------------------------------------


def test_to_displacy_renders_a_jsonl_record_with_displacy():
    record = json.loads(json.dumps(_record()))  # as read back from a JSONL line
    data = to_displacy(record)
    assert set(data) == {"text", "ents", "title"}
    assert data["text"] == record["text"]
    assert [e["start"] for e in data["ents"]] == sorted(e["start"] for e in record["entities"])
    markup = displacy.render(data, style="ent", manual=True)
    assert "<script" not in markup.lower()  # displaCy escapes the text, the helper the title
    assert "doc-&lt;script&gt;" in markup
    assert markup.count("<mark") == len(record["entities"])
    assert "2025 Fuqing Overseas Chinese Week" in markup


def test_to_displacy_refuses_records_it_cannot_show():
    with pytest.raises(ValueError, match="no text"):
        to_displacy({"id": "a", "entities": []})
    with pytest.raises(ValueError, match="error record"):
        to_displacy({"id": "a", "source": "a", "error": "empty"})


def test_unwrapped_display_text_keeps_offsets():
    text = (
        "The fair closed on Friday and a total of 42 projects worth 18.6 billion yuan were\n"
        "signed at the 2025 Harbin Green Food Fair in Harbin, said the organisers of the\n"
        "fair in a statement that was published on the city's website on Saturday again.\n"
        "Officials said that the fair would return next year with a bigger programme too.\n"
    )
    count = _span(text, "Harbin Green Food Fair", "EVENT")
    record = {"id": "w", "text": text, "entities": [count]}
    data = to_displacy(record, unwrap_text=True)
    assert len(data["text"]) == len(text) and "were signed" in data["text"]
    assert data["text"][count["start"] : count["end"]] == "Harbin Green Food Fair"
    assert to_displacy(record)["text"] == text  # the record's own text by default


# --- tagging end to end (stub pipeline) -------------------------------------------------------

RELEASE = (
    "Delta Expo Closes with 42 Deals\n\n"
    "HARBIN, May 9 -- At the Delta Expo, 42 projects worth 18.6 billion yuan were signed. "
    "On the last day of DE, 7 deals worth 2.5 billion yuan were signed at the Delta Expo too.\n"
)


def test_tag_html_page_shows_facts_aliases_and_diagrams(stub_model, tmp_path):
    (tmp_path / "r.txt").write_text(RELEASE, encoding="utf-8")
    out, page = tmp_path / "out.jsonl", tmp_path / "page.html"
    result = CliRunner().invoke(
        app, ["tag", str(tmp_path / "r.txt"), "--out", str(out), "--html", str(page),
              "--model", str(stub_model)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "18.6 billion CNY" in html and "2.5 billion CNY" in html
    assert "18600000000" not in html
    assert "<b>Delta Expo</b>" in html and "“DE”" in html  # the alias group
    assert "<svg" in html and "VALUE 0.90" in html


def test_tag_brat_output_keeps_event_alias_groups(stub_model, tmp_path):
    (tmp_path / "r.txt").write_text(RELEASE, encoding="utf-8")
    out = tmp_path / "fix"
    result = CliRunner().invoke(
        app, ["tag", str(tmp_path / "r.txt"), "--format", "brat", "--out", str(out),
              "--model", str(stub_model)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ann = (out / "r.ann").read_text(encoding="utf-8")
    assert re.search(r"^\*\tEquiv T\d+ T\d+", ann, re.MULTILINE)


# --- brat configuration -----------------------------------------------------------------------


def _conf_sections(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections[current] = []
        else:
            assert current is not None, line
            sections[current].append(line)
    return sections


def test_annotation_conf_names_every_label_and_relation_of_the_schema():
    conf = _conf_sections(ROOT / "corpus" / "annotation.conf")
    assert set(conf) >= {"entities", "relations", "events", "attributes"}
    assert conf["entities"] == list(ENTITY_LABELS)
    relations = {}
    for line in conf["relations"]:
        name, args = re.split(r"\s+", line, maxsplit=1)
        fields = dict(a.strip().split(":", 1) for a in args.split(","))
        relations[name] = fields
    for label, (heads, tails) in RELATION_SIGNATURES.items():
        assert set(relations[label]["Arg1"].split("|")) == heads, label
        assert set(relations[label]["Arg2"].split("|")) == tails, label
    assert relations["Equiv"] == {
        "Arg1": "EVENT",
        "Arg2": "EVENT",
        "<REL-TYPE>": "symmetric-transitive",
    }
    assert set(relations) == {*RELATION_SIGNATURES, "Equiv"}


def test_visual_conf_colours_every_label_like_the_page():
    conf = _conf_sections(ROOT / "corpus" / "visual.conf")
    labelled = {line.split("|")[0].strip() for line in conf["labels"]}
    assert labelled == {*ENTITY_LABELS, *RELATION_SIGNATURES, "Equiv"}
    drawing = dict(re.split(r"\s+", line, maxsplit=1) for line in conf["drawing"])
    for label in ENTITY_LABELS:
        assert drawing[label] == f"bgColor:{COLORS[label]}"
    for label in RELATION_SIGNATURES:
        assert drawing[label].startswith(f"color:{RELATION_COLORS[label]}")
