"""Open lists kept open: a statement that repeats items of an evidence list ending in 等 must not read as the whole list.

The article's 「商务楼宇、园区等」 names examples; a statement that says
「覆盖商务楼宇和园区」 with no 等, 包括 or 如 near those items makes them all
there is. Run by ``casebook validate --sources`` (code ``open-list-closed``),
with the word lists ``open_list_ends``, ``open_list_keeps`` and
``not_open_list`` of ``cases/_registry/wording.yml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from typing import Iterator

from . import model as m
from .figure_checks import cn_value, normalise
from .load import Document, format_path
from .problems import Problem, problem
from .wording import statements

_CLAUSE_BOUNDARY = re.compile(r"[。;:！？!?\n]")
_COMMA = re.compile(r"[,，]")
_COMMA_ITEM = 6  # longest item of a comma-joined list
_AND = re.compile(r"以及|和|及")
_LEAD = "在从以对把将向于为"  # a preposition the first item may carry from the article (在商务楼宇)
_COUNT = re.compile(r"[一二两三四五六七八九十]+|\d+")
_QUOTES = re.compile(r"[“”「」『』‘’\"'《》]")
_CLAUSE_END = "，,。;:！？!?\n"
_SENTENCE = re.compile(r"[^。;！？!?\n]+[。;！？!?]?")


@dataclass(frozen=True)
class OpenList:
    """A list of the article that ends in 等 (or 之类): its items, as written."""

    items: tuple[str, ...]
    written: str  # the list with its end word, as the evidence has it
    end: str


def sentence_runs(text: str) -> list[str]:
    """The sentences of a normalised text (NFKC has made ；！？ ASCII), each with its end mark."""
    return _SENTENCE.findall(text)


def plain(text: str) -> str:
    """A text compared for list items: normalised, without quotation marks."""
    return _QUOTES.sub("", normalise(text))


def mask(text: str, words: list[str]) -> str:
    """``text`` with each of ``words`` (longest first) blanked out as □, so positions stay."""
    for w in sorted(words, key=len, reverse=True):
        text = text.replace(w, "□" * len(w))
    return text


def _counted(after: str, n: int) -> bool:
    """Whether the article counts the list right after its end word (……问责等三项制度): then it is whole."""
    mt = _COUNT.match(after)
    if not mt:
        return False
    value = int(mt.group()) if mt.group().isdigit() else cn_value(mt.group())
    return value == n


def open_lists(text: str, words: m.WordingFile) -> list[OpenList]:
    """The lists of ``text`` that end in an open-list word (商务楼宇、园区等 → 商务楼宇, 园区).

    Items are joined by 、 within one clause; a clause without 、 takes the
    comma-joined clauses of its sentence as items (开展宣讲，组织演出等).
    """
    text = plain(text)
    masked = mask(text, words.not_open_list)
    ends = sorted(words.open_list_ends, key=len, reverse=True)
    out = []
    for mt in re.finditer("|".join(map(re.escape, ends)), masked):
        sentence = _CLAUSE_BOUNDARY.split(masked[:mt.start()])[-1]
        clause = _COMMA.split(sentence)[-1]
        parts = clause.split("、") if "、" in clause else _COMMA.split(sentence)
        if "、" not in clause and any(len(p) > _COMMA_ITEM for p in parts[1:]):
            continue  # comma-joined clauses are a list only when short (冷可取暖，热可纳凉等), not a paragraph
        # the last pair is often joined by 和 or 以及 (市场监管和住建等): each is an item
        items = tuple(p for p in parts[:-1] if p.strip("□")) + tuple(x for x in _AND.split(parts[-1]) if x)
        if len(items) < 2 or len(items[-1]) < 2 or _counted(masked[mt.end():], len(items)):
            continue
        start = mt.start() - sum(len(p) + 1 for p in parts) + 1
        out.append(OpenList(items, text[start:mt.end()], mt.group()))
    return out


def _found(statement: str, item: str, first: bool) -> tuple[int, int] | None:
    """Where an item stands in the statement; the first item may carry a verb before it (建设老年食堂)."""
    tails = [item[i:] for i in range(len(item) - 1)] if first else [item]
    for t in tails:
        if len(t) >= min(len(item), 3) and (i := statement.find(t)) >= 0:
            return i, i + len(t)
    return None


def _runs(spots: list[tuple[tuple[int, int], str]], gap: int) -> list[list[tuple[tuple[int, int], str]]]:
    """Items that stand together as a list: each within ``gap`` characters (、, 和, 以及) of the one before."""
    runs: list[list] = []
    for sp in sorted(spots):
        if runs and 0 <= sp[0][0] - runs[-1][-1][0][1] <= gap:
            runs[-1].append(sp)
        else:
            runs.append([sp])
    return runs


def closed_lists(statement: str, evidence: tuple[str, ...], words: m.WordingFile) -> list[tuple[OpenList, list[str]]]:
    """(the article's open list, the items the statement repeats) for each list the statement closes.

    Closed: two or more items of one list stand together in one sentence of the
    statement (joined by 、, 和 …) with no keep word (等, 包括, 如, 其中 …) among
    or next to them. A question that asks the reader to choose among the items
    (……中的哪一项？……还是……？) offers them as options and is not read so.
    """
    lists = list(dict.fromkeys(ol for q in evidence for ol in open_lists(q, words)))
    out = []
    for sentence in sentence_runs(plain(statement)):
        if sentence.endswith(("？", "?")) and any(c in sentence for c in words.open_list_choices):
            continue
        masked = mask(sentence, words.not_open_list)
        for ol in lists:
            spots = [(sp, it) for k, it in enumerate(ol.items) if (sp := _found(sentence, it, k == 0))]
            run = max(_runs(spots, words.open_list_gap), key=len, default=[])
            items = [sentence[a:b] for (a, b), _ in run]  # as the statement writes them
            if len(items) < 2:
                continue
            if len(items[0]) > 3 and items[0][0] in _LEAD:
                items[0] = items[0][1:]
            if (ol, items) in out:
                continue
            lo = max(0, run[0][0][0] - words.open_list_reach)
            if not any(k in masked[lo:run[-1][0][1] + words.open_list_reach] for k in words.open_list_keeps):
                out.append((ol, items))
    return out


def in_article(quote: str, articles: list[str]) -> str:
    """The clauses of the article that an evidence quote spans, whole: a quote cut before 等 gets it back."""
    q = normalise(quote)
    for a in articles:
        i = a.find(q)
        if i >= 0:
            start = max(a.rfind(ch, 0, i) for ch in _CLAUSE_END) + 1
            ends = [j for j in (a.find(ch, i + len(q)) for ch in _CLAUSE_END) if j >= 0]
            return a[start:min(ends, default=len(a))]
    return quote


def check_open_lists(doc: Document, rec: m.Record, articles: list[str], words: m.WordingFile) -> Iterator[Problem]:
    """``open-list-closed`` for each fact statement, question and key point that closes an article's open list.

    ``articles`` are the normalised texts of all sources. Titles are names, not claims, and are not read.
    """
    if not words.open_list_ends:
        return
    for st in statements(rec):
        if st.kind not in ("fact", "question", "key_point") or st.path == ("title",):
            continue
        evidence = tuple(dict.fromkeys(in_article(q, articles) for q in st.evidence))
        for ol, items in closed_lists(st.text, evidence, words):
            yield problem("open-list-closed", doc.display, doc.pos(st.path), format_path(st.path),
                          items="、".join(items), written=ol.written, end=ol.end, text=st.text[:30],
                          suggestion=f"照原文在列举后面加上“{ol.end}”（如“商务楼宇、园区等”），或写“包括……”“如……”；"
                                     "原文确实只有这几项，就把写明项数的原文短句加进证据")
