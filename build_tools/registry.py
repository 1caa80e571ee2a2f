"""The registries (places, tags, sources, lexicon) checked and collected."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import model as m
from .concepts import check_concepts
from .lexicon import check_lexicon
from .load import Document, Loaded, format_path
from .problems import Problem, problem
from .shape import check_model, suggest

# -------------------------------------------------------------- registries


@dataclass
class Registry:
    """The validated places, tags and sources, keyed by slug."""

    places: dict[str, m.Place] = field(default_factory=dict)
    groups: dict[str, m.TagGroup] = field(default_factory=dict)
    tags: dict[str, m.Tag] = field(default_factory=dict)
    sources: dict[str, m.Source] = field(default_factory=dict)
    tags_file: str = "cases/_registry/tags.yml"
    sources_file: str = "cases/_registry/sources.yml"
    lexicon: m.LexiconFile | None = None
    concepts: dict[str, m.Concept] = field(default_factory=dict)
    concepts_file: str = "cases/_registry/concepts.yml"
    wording: m.WordingFile | None = None  # word lists of the wording checks (wording.yml)
    wording_file: str = "cases/_registry/wording.yml"
    pending: m.PendingFile | None = None  # content findings allowed until fixed (pending.yml)
    pending_doc: Document | None = None

    def ancestors(self, slug: str) -> list[str]:
        """The chain of parents of a place, nearest first (cycles cut)."""
        out: list[str] = []
        cur = self.places.get(slug)
        while cur and cur.parent and cur.parent not in out and cur.parent != slug:
            out.append(cur.parent)
            cur = self.places.get(cur.parent)
        return out

    def in_cycle(self, slug: str) -> bool:
        """True when following parents from ``slug`` leads back to it."""
        seen: set[str] = set()
        cur = self.places.get(slug)
        while cur and cur.parent:
            if cur.parent == slug:
                return True
            if cur.parent in seen:
                return False
            seen.add(cur.parent)
            cur = self.places.get(cur.parent)
        return False

    def tag_lookup(self) -> dict[str, str]:
        """Every name and synonym of a tag mapped to its slug (for suggestions)."""
        out = {}
        for t in self.tags.values():
            out[t.slug] = t.slug
            out[t.name] = t.slug
            for s in t.synonyms:
                out.setdefault(s, t.slug)
        return out


def validate_registries(loaded: Loaded) -> tuple[Registry, list[Problem]]:
    """Check the places, tags and sources registries."""
    reg = Registry()
    out: list[Problem] = []
    where: dict[tuple[str, str], tuple[str, tuple[int, int]]] = {}

    def add(kind: str, slug: str, obj: Any, doc: Document, path: tuple) -> bool:
        key = (kind, slug)
        if key in where:
            file, pos = where[key]
            out.append(problem("duplicate-slug", doc.display, doc.pos(path), format_path(path),
                               value=slug, other=f"{file}:{pos[0]}"))
            return False
        where[key] = (doc.display, doc.pos(path))
        return True

    for doc in loaded.places:
        out.extend(doc.problems)
        if doc.data is None:
            continue
        items = doc.data.get("places") if isinstance(doc.data, dict) else None
        for i, item in enumerate(items or []):
            sub = Document(path=doc.path, display=doc.display, data=item,
                           positions={k[2:]: v for k, v in doc.positions.items() if k[:2] == ("places", i)})
            obj, probs = check_model(sub, m.Place)
            out.extend(_shift(probs, ("places", i)))
            if obj and add("place", obj.slug, obj, doc, ("places", i)):
                reg.places[obj.slug] = obj
        if not isinstance(items, list):
            out.append(problem("missing-field", doc.display, (1, 1), "places", field="places"))
    for slug, place in reg.places.items():
        if place.parent and place.parent not in reg.places:
            out.append(problem("unknown-parent", *where[("place", slug)],
                               "parent", value=place.parent, suggestion=suggest(place.parent, reg.places)))
        elif reg.in_cycle(slug):
            out.append(problem("place-cycle", *where[("place", slug)],
                               "parent", value=slug))

    def read(doc: Document | None, model, filename: str):
        """A registry file checked against its model; None (and the problems said) when it cannot be used."""
        if doc is None:
            out.append(problem("registry-missing", str(loaded.cases_dir / "_registry"), None, filename=filename))
            return None
        out.extend(doc.problems)
        if doc.data is None:
            return None
        obj, probs = check_model(doc, model)
        out.extend(probs)
        return obj

    if loaded.tags is not None:
        reg.tags_file = loaded.tags.display
    obj = read(loaded.tags, m.TagsFile, "tags.yml")
    if obj:
        for i, g in enumerate(obj.groups):
            if add("group", g.slug, g, loaded.tags, ("groups", i)):
                reg.groups[g.slug] = g
        for i, t in enumerate(obj.tags):
            if add("tag", t.slug, t, loaded.tags, ("tags", i)):
                reg.tags[t.slug] = t
            if t.group not in reg.groups:
                out.append(problem("unknown-group", loaded.tags.display, loaded.tags.pos(("tags", i, "group")),
                                   f"tags[{i}].group", value=t.group, suggestion=suggest(t.group, reg.groups)))

    if loaded.sources is not None:
        reg.sources_file = loaded.sources.display
    obj = read(loaded.sources, m.SourcesFile, "sources.yml")
    if obj:
        for i, s in enumerate(obj.sources):
            if add("source", s.id, s, loaded.sources, ("sources", i)):
                reg.sources[s.id] = s
            for j, pl in enumerate(s.places):
                if pl not in reg.places:
                    out.append(problem("unknown-place", loaded.sources.display,
                                       loaded.sources.pos(("sources", i, "places", j)),
                                       f"sources[{i}].places[{j}]", value=pl,
                                       suggestion=suggest(pl, reg.places)))
    if loaded.lexicon is not None:  # optional: no problem when it is absent
        reg.lexicon = read(loaded.lexicon, m.LexiconFile, "lexicon.yml")
        if reg.lexicon is not None:
            out.extend(check_lexicon(loaded.lexicon, reg.lexicon, reg.tags, suggest))
    if loaded.concepts is not None:  # optional, like the lexicon
        reg.concepts_file = loaded.concepts.display
        reg.concepts, probs = check_concepts(loaded.concepts, reg.lexicon)
        out.extend(probs)
    if loaded.wording is not None:  # optional: without it the wording checks do not run
        reg.wording_file = loaded.wording.display
        reg.wording = read(loaded.wording, m.WordingFile, "wording.yml")
    if loaded.pending is not None:
        reg.pending, reg.pending_doc = read(loaded.pending, m.PendingFile, "pending.yml"), loaded.pending
    return reg, out


def _shift(probs: list[Problem], prefix: tuple) -> list[Problem]:
    """Prefix field names of problems found in a sub-document."""
    from dataclasses import replace
    pre = format_path(prefix)
    return [replace(p, field=f"{pre}.{p.field}" if p.field else pre) for p in probs]
