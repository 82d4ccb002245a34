"""The annotation schema: entity labels and which relations may link which labels."""

ENTITY_LABELS: tuple[str, ...] = ("MONEY", "COUNT", "EVENT", "ORG", "GPE")

# relation label -> (allowed head labels, allowed tail labels)
RELATION_SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "VALUE": (frozenset({"COUNT"}), frozenset({"MONEY"})),
    "SIGNED_AT": (frozenset({"COUNT", "MONEY"}), frozenset({"EVENT"})),
}
RELATION_LABELS: tuple[str, ...] = tuple(RELATION_SIGNATURES)


def relation_allowed(label: str, head_label: str, tail_label: str) -> bool:
    """True when the schema lets `label` link a `head_label` entity to a `tail_label` one."""
    heads, tails = RELATION_SIGNATURES.get(label, (frozenset(), frozenset()))
    return head_label in heads and tail_label in tails
