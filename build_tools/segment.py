"""The one Chinese segmenter of the project (site search, Whoosh, related records).

jieba is initialised once per process, with its log silenced, and taught a
domain dictionary generated from the corpus (tag names and synonyms, titles,
aliases, place names, quoted method names). Without it jieba cuts
新就业群体, 党员中心户 or 红色物业 apart.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from typing import Iterable

_lock = threading.Lock()
_tokenizer = None
_words: set[str] = set()
# text → jieba's cut of it (every word, in order), kept across builds in one
# process (mkdocs serve) and on disk between processes; an entry is dropped when
# a dictionary word it contains changes. Both the search tokens and the Whoosh
# analyser's positions are derived from it, so a text is cut once for both.
_cache: dict[str, list[str]] = {}
# text → search tokens, derived from _cache (in memory only)
_search: dict[str, list[str]] = {}
_cache_dirty = False
CACHE_VERSION = 2

# Function words that carry no meaning for retrieval.
STOP = set("的 了 和 与 及 等 在 是 为 对 把 被 让 将 由 从 向 以 之 其 或 并 而 也 都 就 又 要 有 个 中 上 下 "
           "这 那 我 你 他 她 它 们 着 过 还 所 于 则 至 该 每 各 即 但 如 若 因 使 得 地 能 会 怎么 什么 如何 "
           "怎样 哪些 哪里 一个 一些 进行 开展 通过 推动 实现 以及 我们 社区里 没有 以后 怎么办 老是 随意 好几个".split())

# Words so common in this corpus that they say little about which record is meant.
GENERIC = set("社区 治理 社区治理 基层 基层治理 城市 参与 工作 建设 党建 引领 党建引领 党组织 问题 群众 居民 "
              "机制 模式 体系 办法 做法 服务 管理 推进 加强 提升".split())

_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,14})[”\"」]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")


def domain_words(corpus) -> list[str]:
    """Words the segmenter must keep whole, generated from the corpus (sorted)."""
    words: set[str] = set()
    reg = corpus.registry
    for t in reg.tags.values():
        words.add(t.name)
        words.update(t.synonyms)
    for g in reg.groups.values():
        words.add(g.name)
    for p in reg.places.values():
        words.add(p.name)
        short = re.sub(r"(省|市|区|县|街道|镇|社区|村)$", "", p.name)
        if len(short) >= 2:
            words.add(short)
    for r in corpus.records.values():
        if len(r.title) <= 14:
            words.add(r.title)
        words.update(a for a in r.aliases if len(a) <= 14)
        for text in [r.title, r.summary, *r.aliases, *(c.text for c in r.practices)]:
            words.update(_QUOTED.findall(text))
    extra = {"新就业群体", "党员中心户", "网格员", "红色物业", "快递小哥", "外卖小哥", "外卖骑手", "网约车",
             "业委会", "业主委员会", "物业企业", "党群服务中心", "两委", "社区书记", "老旧小区", "加装电梯",
             "在职党员", "兼职网格员", "协商议事", "议事厅", "时间银行", "积分制", "红黑榜", "企业年金", "事业编制"}
    words |= extra
    return sorted(w for w in (x.strip() for x in words) if 2 <= len(w) <= 14 and _HAN.search(w))


def init(words: Iterable[str] = ()) -> None:
    """Initialise jieba once for this process and add ``words`` to its dictionary."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            logging.getLogger("jieba").setLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            _tokenizer = tk
        new = [w for w in words if w not in _words]
        for w in new:
            _tokenizer.add_word(w, freq=max(2000, 200 * len(w)))
            _words.add(w)
        if new and _cache:
            _forget(new)


def _forget(words: list[str]) -> None:
    """Drop cached cuts of texts that contain a word whose entry just changed."""
    global _cache_dirty
    stale = [t for t in _cache if any(w in t for w in words)]
    for t in stale:
        del _cache[t]
        _search.pop(t, None)
    _cache_dirty = _cache_dirty or bool(stale)


def load_cache(path, words: Iterable[str] = ()) -> None:
    """Read cuts saved by an earlier build (missing or unreadable: start empty).

    ``words`` is this build's domain dictionary: jieba learns it first, so
    only cuts of texts containing a word that was added or dropped since the
    cache was saved are thrown away (not every text with a domain word).
    """
    import pickle
    from pathlib import Path

    p = Path(path)
    try:
        with p.open("rb") as fh:
            version, saved, cache = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
        init(words)
        return
    init(words)
    if version != CACHE_VERSION:
        return
    changed = sorted(set(saved) ^ _words)
    _cache.update(cache)
    if changed:
        _forget(changed)


def forget_cache() -> None:
    """Let the cuts go from memory (after :func:`save_cache`, in a process that is done cutting)."""
    global _cache_dirty
    _cache.clear()
    _search.clear()
    _cache_dirty = False


def forget_texts(texts: Iterable[str]) -> None:
    """Let the cuts of these texts go (an index writer done with them)."""
    for t in texts:
        _cache.pop(t, None)
        _search.pop(t, None)


def forget_search_tokens() -> None:
    """Let the search tokens go (they are derived from the cuts, which stay)."""
    _search.clear()


def cache_size() -> int:
    """How many cut texts the cache holds (for tests and benchmarks)."""
    return len(_cache)


def save_cache(path) -> None:
    """Write the cuts for the next build (only when something new was cut)."""
    import os
    import pickle
    from pathlib import Path

    global _cache_dirty
    if not _cache_dirty:
        return
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump((CACHE_VERSION, sorted(_words), _cache), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, p)
    _cache_dirty = False


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _keep(w: str) -> bool:
    """A token worth indexing: not blank, not a stop word, not punctuation, not a lone Chinese character."""
    return bool(w) and w not in STOP and bool(_TOKEN_OK.search(w)) and not (len(w) == 1 and _HAN.match(w))


def _base(text: str) -> list[str]:
    """jieba's cut of ``text`` (normalised), from the cache or cut now and kept."""
    global _cache_dirty
    cut = _cache.get(text)
    if cut is None:
        if _tokenizer is None:
            init()
        cut = _cache[text] = list(_tokenizer.cut(normalise(text)))
        _cache_dirty = True
    return cut


def tokens(text: str, search_mode: bool = True) -> list[str]:
    """Meaningful tokens of ``text``, lower-cased, without punctuation and stop words.

    In search mode long words also yield their sub-words (新就业群体 → 就业, 群体,
    新就业群体) so that a shorter query still matches: the same tokens, in the
    same order, as jieba's ``cut_for_search``, derived from the cached cut.
    """
    if search_mode and text in _search:
        return _search[text]
    out = []
    base = _base(text)
    freq = _tokenizer.FREQ
    for w in base:
        if search_mode and len(w) > 2:
            grams = [w[i:i + 2] for i in range(len(w) - 1)]
            if len(w) > 3:
                grams += [w[i:i + 3] for i in range(len(w) - 2)]
            out += [g.strip() for g in grams if freq.get(g) and _keep(g.strip())]
        w = w.strip()
        if _keep(w):
            out.append(w)
    if search_mode:
        _search[text] = out
    return out


# Below this many new texts, starting worker processes costs more than it saves.
PARALLEL_MIN = 2000


def prefetch(texts: Iterable[str], workers: int | None = None) -> int:
    """Cut the texts not yet in the cache, on every core when there are many; return how many were cut.

    A cold build of 10,000 records cuts about 60,000 texts, the biggest single
    cost of the pipeline, and the Whoosh index needs the same cuts. Workers are
    forked, so each starts with the segmenter and its domain dictionary already
    loaded; where fork is not available or other threads run, the texts are cut
    here, one by one, with the same result.
    """
    import multiprocessing as mp
    import os

    global _cache_dirty
    todo = list(dict.fromkeys(t for t in texts if t not in _cache))
    workers = workers or min(os.cpu_count() or 1, 4)
    if _tokenizer is None:
        init()
    # Forking a process that runs other threads (mkdocs serve's watcher) can
    # copy a lock some thread holds: there, cut here.
    if (len(todo) < PARALLEL_MIN or workers < 2 or threading.active_count() > 1
            or "fork" not in mp.get_all_start_methods()):
        for text in todo:
            _base(text)
        return len(todo)
    chunks = [todo[k::workers] for k in range(workers)]
    with mp.get_context("fork").Pool(workers) as pool:
        for chunk, cuts in zip(chunks, pool.map(_cut_all, chunks)):
            _cache.update(zip(chunk, cuts))
    _cache_dirty = _cache_dirty or bool(todo)
    return len(todo)


def _cut_all(texts: list[str]) -> list[list[str]]:
    return [list(_tokenizer.cut(normalise(t))) for t in texts]


def tokens_with_positions(text: str) -> list[tuple[str, int, int, int]]:
    """(token, position, start, end) for an analyser: positions count tokens, not characters.

    Phrase queries need consecutive positions for consecutive words; jieba's
    own ChineseAnalyzer uses character offsets as positions, which breaks them.
    The words and offsets are those of jieba's ``tokenize`` (default mode).
    """
    out = []
    pos = start = 0
    for w in _base(text):
        end = start + len(w)
        if w.strip() and _TOKEN_OK.search(w):
            w = w.strip()
            if not (w in STOP or (len(w) == 1 and _HAN.match(w))):
                out.append((w, pos, start, end))
            pos += 1
        start = end
    return out
