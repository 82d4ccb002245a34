"""The validator reports each kind of broken annotation with file and line."""

import pytest
from typer.testing import CliRunner

from pressdeals.cli import app
from pressdeals.validate import validate_brat

TEXT = (
    "Pune Expo: 12 deals worth Rs 500 crore were signed at the Pune Expo.\n"
    'Another sentence names "Mumbai" and Tata Group.\n'
)
# offsets: Pune 0-4, Pune Expo 0-9, 12 deals 11-19, Rs 500 crore 26-38, Pune Expo 58-67,
# "Mumbai" with quotes 92-100, Mumbai 93-99, Tata Group 105-115
GOOD = (
    "T1\tEVENT 0 9\tPune Expo\n"
    "T2\tCOUNT 11 19\t12 deals\n"
    "T3\tMONEY 26 38\tRs 500 crore\n"
    "T4\tEVENT 58 67\tPune Expo\n"
    "T5\tGPE 93 99\tMumbai\n"
    "T6\tORG 105 115\tTata Group\n"
    "R1\tVALUE Arg1:T2 Arg2:T3\t\n"
    "R2\tSIGNED_AT Arg1:T2 Arg2:T4\t\n"
)


def run(tmp_path, ann: str):
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "doc.ann").write_text(ann, encoding="utf-8")
    return [str(p) for p in validate_brat(tmp_path / "doc.txt")]


def test_good_document_passes(tmp_path):
    assert run(tmp_path, GOOD) == []


@pytest.mark.parametrize(
    "old, new, line, message",
    [
        ("T6\tORG 105 115\tTata Group", "T6\tORG 105 915\tTata Group", 6, "out of range"),
        (
            "T6\tORG 105 115\tTata Group",
            "T6\tORG 105 115\tTata Groups",
            6,
            "does not match the text",
        ),
        ("T5\tGPE 93 99\tMumbai", "T5\tGPE 0 4\tPune", 5, "nested in T1"),
        ("T5\tGPE 93 99\tMumbai", "T5\tGPE 5 13\tExpo: 12", 5, "overlaps T1"),
        ("T6\tORG 105 115", "T6\tCOMPANY 105 115", 6, "unknown entity label 'COMPANY'"),
        ("T6\tORG 105 115\tTata Group", "T6\tORG 104 115\t Tata Group", 6, "whitespace"),
        ("T5\tGPE 93 99\tMumbai", 'T5\tGPE 92 100\t"Mumbai"', 5, "enclosing '\"'"),
        (
            "R1\tVALUE Arg1:T2 Arg2:T3",
            "R1\tVALUE Arg1:T2 Arg2:T4",
            7,
            "VALUE cannot link COUNT -> EVENT",
        ),
        ("R1\tVALUE Arg1:T2 Arg2:T3", "R1\tPART_OF Arg1:T2 Arg2:T3", 7, "unknown relation label"),
        ("T6\tORG", "T5\tORG", 6, "duplicate id T5"),
        ("R2\tSIGNED_AT", "R1\tSIGNED_AT", 8, "duplicate id R1"),
        ("R1\tVALUE Arg1:T2 Arg2:T3", "R1\tVALUE Arg1:T2 Arg2:T9", 7, "T9 not defined"),
        ("T6\tORG 105 115\tTata Group", "T6\tORG 105 110;111 115\tTata Group", 6, "discontinuous"),
        (
            "R2\tSIGNED_AT Arg1:T2 Arg2:T4",
            "R2\tSIGNED_AT Arg1:T2 Arg2:T4\nA1\tNegated R2",
            9,
            "unsupported",
        ),
    ],
)
def test_each_kind_of_error_is_reported_with_its_line(tmp_path, old, new, line, message):
    assert old in GOOD
    problems = run(tmp_path, GOOD.replace(old, new))
    assert any(
        p.startswith(f"{tmp_path / 'doc.ann'}:{line}: ") and message in p for p in problems
    ), problems


def test_relation_to_the_next_body_sentence_is_fine(tmp_path):
    # make Mumbai (the next sentence) an EVENT and point SIGNED_AT at it: schema v2 allows it
    ann = GOOD.replace("T5\tGPE 93 99\tMumbai", "T5\tEVENT 93 99\tMumbai").replace(
        "Arg1:T2 Arg2:T4", "Arg1:T2 Arg2:T5"
    )
    assert run(tmp_path, ann) == []


def _three_sentences(tmp_path, ann: str):
    text = "Pune Expo closes\n\n12 deals were signed. Then lunch. The Pune Expo ended.\n"
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    (tmp_path / "doc.ann").write_text(ann, encoding="utf-8")
    return [str(p) for p in validate_brat(tmp_path / "doc.txt")]


def test_relation_beyond_the_next_sentence_is_an_error(tmp_path):
    ann = "T1\tCOUNT 18 26\t12 deals\nT2\tEVENT 56 65\tPune Expo\nR1\tSIGNED_AT Arg1:T1 Arg2:T2\t\n"
    assert _three_sentences(tmp_path, ann) == [
        f"{tmp_path / 'doc.ann'}:3: SIGNED_AT arguments T1 and T2 are more than one sentence "
        "apart (schema v2 links one sentence or two consecutive ones)"
    ]


def test_relation_between_title_and_body_is_an_error(tmp_path):
    ann = "T1\tCOUNT 18 26\t12 deals\nT2\tEVENT 0 9\tPune Expo\nR1\tSIGNED_AT Arg1:T1 Arg2:T2\t\n"
    assert _three_sentences(tmp_path, ann) == [
        f"{tmp_path / 'doc.ann'}:3: SIGNED_AT links T1 and T2 across a title or heading line "
        "and the body (schema v2 never does)"
    ]


@pytest.mark.parametrize(
    "equiv, message",
    [
        ("*\tEquiv T1 T4\n", None),
        ("*\tEquiv T1 T9\n", "Equiv member T9 is not defined or invalid"),
        ("*\tEquiv T1 T5\n", "Equiv member T5 is GPE: only EVENTs"),
        ("*\tEquiv T1\n", "an Equiv group needs two or more mentions"),
        ("*\tEquiv T1 T4\n*\tEquiv T3 T4\n", "Equiv member T3 is MONEY: only EVENTs"),
        ("*\tEquiv T1 T4\n*\tEquiv T4 T1\n", "T4 is already in the Equiv group on line 9"),
    ],
)
def test_equiv_groups_are_checked(tmp_path, equiv, message):
    problems = run(tmp_path, GOOD + equiv)
    line = 9 + equiv.count("\n") - 1
    if message is None:
        assert problems == []
    else:
        assert problems[0] == f"{tmp_path / 'doc.ann'}:{line}: {message}"


def test_leading_determiner_is_a_warning(tmp_path):
    ann = GOOD + "T7\tCOUNT 69 85\tAnother sentence\n"
    problems = run(tmp_path, ann)
    message = "span 'Another sentence' starts with a determiner: leave it out"
    assert problems == [f"{tmp_path / 'doc.ann'}:9: warning: {message}"]


def test_cli_exit_codes(tmp_path):
    runner = CliRunner()
    run(tmp_path, GOOD)
    assert runner.invoke(app, ["validate", str(tmp_path)]).exit_code == 0
    run(tmp_path, GOOD.replace("Tata Group\n", "Tata Groups\n"))
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "doc.ann:6:" in result.output


def test_gold_set_is_valid():
    from pressdeals.validate import validate_paths

    from .conftest import GOLD

    n, problems = validate_paths([GOLD])
    assert n == 5 and problems == []


def test_jsonl_records_are_validated(tmp_path):
    from pressdeals.validate import validate_jsonl

    path = tmp_path / "docs.jsonl"
    path.write_text(
        '{"id": "a", "text": "12 deals", "entities": '
        '[{"start": 0, "end": 8, "label": "COUNT", "text": "12 deals"}]}\n'
        '{"id": "b", "text": "12 deals", "entities": [{"start": 0, "end": 9, "label": "COUNT"}]}\n'
        "not json\n",
        encoding="utf-8",
    )
    problems = [str(p) for p in validate_jsonl(path)]
    assert len(problems) == 2
    assert problems[0].startswith(f"{path}:2: ") and "out of range" in problems[0]
    assert problems[1].startswith(f"{path}:3: ") and "malformed" in problems[1]
