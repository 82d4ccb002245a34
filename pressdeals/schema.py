"""The annotation schema: entity labels and which relations may link which labels."""

ENTITY_LABELS: tuple[str, ...] = ("MONEY", "COUNT", "EVENT", "ORG", "GPE")

# relation label -> (allowed head labels, allowed tail labels)
RELATION_SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "VALUE": (frozenset({"COUNT"}), frozenset({"MONEY"})),
    "SIGNED_AT": (frozenset({"COUNT", "MONEY"}), frozenset({"EVENT"})),
}
RELATION_LABELS: tuple[str, ...] = tuple(RELATION_SIGNATURES)
# (head label, tail label) pairs some relation allows, in a fixed order (relations, then
# labels alphabetically): the relation component's candidates and its pair-type feature
PAIR_TYPES: tuple[tuple[str, str], ...] = tuple(
    (head, tail)
    for heads, tails in RELATION_SIGNATURES.values()
    for head in sorted(heads)
    for tail in sorted(tails)
)
# en_core_web_sm's labels mapped onto the schema, for the off-the-shelf baseline
SM_LABEL_MAP: dict[str, str] = {
    "CARDINAL": "COUNT",
    "MONEY": "MONEY",
    "EVENT": "EVENT",
    "ORG": "ORG",
    "GPE": "GPE",
}


def relation_label(head_label: str, tail_label: str) -> str | None:
    """The relation label the schema allows from `head_label` to `tail_label`, if any."""
    for label, (heads, tails) in RELATION_SIGNATURES.items():
        if head_label in heads and tail_label in tails:
            return label
    return None


def relation_allowed(label: str, head_label: str, tail_label: str) -> bool:
    """True when the schema lets `label` link a `head_label` entity to a `tail_label` one."""
    heads, tails = RELATION_SIGNATURES.get(label, (frozenset(), frozenset()))
    return head_label in heads and tail_label in tails
