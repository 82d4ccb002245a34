"""In-memory form of an annotated document, shared by every on-disk format."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Entity:
    """A labelled span; offsets are code-point indices into the text, end exclusive."""

    start: int
    end: int
    label: str

    def surface(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, order=True)
class Relation:
    """A directed relation from `head` (brat Arg1) to `tail` (brat Arg2)."""

    head: Entity
    tail: Entity
    label: str
    score: float | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple:
        """What makes a predicted relation correct: its label and both argument spans and
        labels (used by `pressdeals evaluate` and by the component's spaCy scorer alike)."""
        h, t = self.head, self.tail
        return (self.label, h.start, h.end, h.label, t.start, t.end, t.label)


@dataclass
class AnnotatedDoc:
    id: str
    text: str
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    # event alias groups (schema v2 `Equiv`): each a tuple of EVENT entities in text order
    aliases: list[tuple[Entity, ...]] = field(default_factory=list)
    # deal records a pipeline already built (pipeline.deals); None: build them when needed
    deals: list[dict] | None = field(default=None, compare=False)

    def sorted(self) -> AnnotatedDoc:
        """A copy with entities and relations in canonical (offset) order."""
        return AnnotatedDoc(
            self.id,
            self.text,
            sorted(self.entities),
            sorted(self.relations, key=lambda r: (r.head, r.tail, r.label)),
            sorted(tuple(sorted(group)) for group in self.aliases),
        )

    def entity_at(self, start: int, end: int) -> Entity | None:
        for ent in self.entities:
            if ent.start == start and ent.end == end:
                return ent
        return None
