"""The v2 candidate lister finds cross-sentence relation and event alias candidates."""

from pathlib import Path

from pressdeals.training.v2_candidates import candidates, main

TEXT = (
    "Pune Expo Closes With 12 Deals\n"
    "\n"
    "The 2025 Pune International Investment Expo (PIIE) closed on Friday.\n"
    "In total, 12 deals worth Rs 500 crore were signed.\n"
    "A further 3 projects will be signed at the 2026 Pune International Investment Expo.\n"
)

# (label, surface) in text order; offsets are looked up in TEXT
MENTIONS = [
    ("EVENT", "Pune Expo"),
    ("COUNT", "12 Deals"),
    ("EVENT", "2025 Pune International Investment Expo"),
    ("EVENT", "PIIE"),
    ("COUNT", "12 deals"),
    ("MONEY", "Rs 500 crore"),
    ("COUNT", "3 projects"),
    ("EVENT", "2026 Pune International Investment Expo"),
]


def write_doc(folder: Path, extra: str = "") -> Path:
    lines, pos = [], 0
    for n, (label, surface) in enumerate(MENTIONS, start=1):
        start = TEXT.index(surface, pos)
        pos = start + len(surface)
        lines.append(f"T{n}\t{label} {start} {pos}\t{surface}")
    lines.append("R1\tVALUE Arg1:T5 Arg2:T6\t")
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    (folder / "doc.ann").write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return folder / "doc.txt"


def found(txt: Path) -> set[tuple[str, str, str, int]]:
    return {(c.kind, c.head, c.tail, c.distance) for c in candidates(txt)}


def test_relation_candidates_cross_the_sentence_boundary_but_not_the_title(tmp_path):
    got = found(write_doc(tmp_path))
    # the linked COUNT is no candidate; its unlinked neighbours are
    assert ("COUNT->EVENT", "3 projects", "PIIE", 1) not in got  # two sentences away
    assert ("COUNT->MONEY", "3 projects", "Rs 500 crore", 1) in got
    assert ("COUNT->EVENT", "12 deals", "PIIE", 1) not in got  # heads VALUE already
    assert not any(c[1] == "12 Deals" or c[2] in ("Pune Expo", "12 Deals") for c in got)
    partial = {(c.kind, c.head, c.tail) for c in candidates(tmp_path / "doc.txt", partial=True)}
    assert ("COUNT(VALUE)->EVENT", "12 deals", "PIIE") in partial
    assert ("COUNT(VALUE)->EVENT", "12 deals", "2026 Pune International Investment Expo") in partial


def test_alias_kinds(tmp_path):
    got = found(write_doc(tmp_path))
    assert ("alias-bracket", "2025 Pune International Investment Expo", "PIIE", 0) in got
    assert ("alias-acronym", "PIIE", "2026 Pune International Investment Expo", 2) in got
    assert (
        "alias-edition",
        "2025 Pune International Investment Expo",
        "2026 Pune International Investment Expo",
        2,
    ) in got
    assert ("alias-contained", "Pune Expo", "2025 Pune International Investment Expo", 1) in got


def test_grouped_mentions_are_no_candidates(tmp_path, capsys):
    txt = write_doc(tmp_path, "*\tEquiv T1 T3 T4\n")
    got = found(txt)
    assert ("alias-bracket", "2025 Pune International Investment Expo", "PIIE", 0) not in got
    assert ("alias-contained", "Pune Expo", "2026 Pune International Investment Expo", 3) in got
    assert main([str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"{tmp_path / 'doc.ann'}: COUNT->MONEY: 3 projects -> Rs 500 crore (1)" in out
    assert out[-1].startswith("1 documents, ")
