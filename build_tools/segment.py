"""The one Chinese segmenter of the project (site search, Whoosh, related records).

A :class:`Segmenter` is jieba taught one corpus's domain dictionary (tag
names and synonyms, titles, aliases, place names, quoted method names), with
a cache of its cuts. Without the dictionary jieba cuts 新就业群体, 党员中心户 or
红色物业 apart. The build makes one per corpus and hands it to every stage
that cuts text; nothing is kept in this module, so two corpora in one process
cut independently.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from typing import Iterable

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

# Below this many new texts, starting worker processes costs more than it saves.
PARALLEL_MIN = 2000


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


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def word_freq(word: str) -> int:
    """The frequency a domain word gets in jieba's dictionary: high enough to keep it whole."""
    return max(2000, 200 * len(word))


def _keep(w: str) -> bool:
    """A token worth indexing: not blank, not a stop word, not punctuation, not a lone Chinese character."""
    return bool(w) and w not in STOP and bool(_TOKEN_OK.search(w)) and not (len(w) == 1 and _HAN.match(w))


def _jieba_tokenizer(like: "Segmenter | None"):
    """A jieba tokenizer with the base dictionary only: loaded (about 0.6 s), or copied from ``like`` (0.01 s).

    The tokenizer is jieba_fast's: jieba with its word graph and HMM in C, the
    same dictionary and the same cuts (tests/test_segment.py compares them with
    jieba's own on every text of the shipped records), about 2.7 times as fast
    (10,000 synthetic records: 12.4 s → 4.5 s on one core).
    """
    import jieba_fast

    # jieba's own logger too (importing jieba sets it to DEBUG, so after the import): Material's search
    # plugin loads jieba for the hand-written pages, and "Building prefix dict…" is not for `make site`'s reader.
    import jieba

    for lib in (jieba, jieba_fast):
        lib.setLogLevel(logging.WARNING)
    tk = jieba_fast.Tokenizer()
    if like is None:
        tk.initialize()
        return tk
    # The other segmenter's dictionary with its domain words put back as the base had them.
    tk.FREQ = {**like._tokenizer.FREQ, **like._originals}
    tk.total = like._base_total
    tk.initialized = True
    return tk


class Segmenter:
    """jieba with one domain dictionary, and a cache of its cuts (text → every word, in order).

    The cache is kept on disk between processes (:meth:`load_cache`,
    :meth:`save_cache`); both the search tokens and the Whoosh analyser's
    positions are derived from it, so a text is cut once for both.
    """

    def __init__(self, words: Iterable[str] = (), like: "Segmenter | None" = None):
        """Teach jieba ``words``; ``like`` (another segmenter) lends its base dictionary instead of reloading it."""
        self._tokenizer = tk = _jieba_tokenizer(like)
        self.words = frozenset(words)
        self._base_total = tk.total
        # What the base dictionary said of each domain word (0: not a word), so that another
        # segmenter can start from this one's dictionary without these words.
        self._originals = {w: tk.FREQ.get(w, 0) for w in self.words}
        for w in sorted(self.words):
            tk.add_word(w, freq=word_freq(w))
        self._cache: dict[str, list[str]] = {}
        self._search: dict[str, list[str]] = {}  # text → search tokens, derived from the cut
        self._dirty = False

    def base_freq(self, word: str) -> int:
        """How often jieba's own dictionary counts ``word`` (0: not a word there), whatever the domain words say."""
        return self._originals.get(word, self._tokenizer.FREQ.get(word, 0))

    @classmethod
    def for_words(cls, words: Iterable[str], like: "Segmenter | None" = None) -> "Segmenter":
        """A segmenter of ``words``: ``like`` itself when it has the same words, else one made from its dictionary."""
        words = frozenset(words)
        if like is not None and like.words == words:
            return like
        return cls(words, like)

    @classmethod
    def for_corpus(cls, corpus, like: "Segmenter | None" = None) -> "Segmenter":
        """The segmenter of ``corpus`` (its domain words), made once per corpus by the build."""
        return cls.for_words(corpus.domain_words(), like)

    # -- the cache
    def load_cache(self, path) -> None:
        """Add the cuts saved by an earlier build (missing or unreadable: nothing added).

        Only cuts of texts containing a word that was added to or dropped from
        the dictionary since the cache was saved are thrown away.
        """
        import pickle
        from pathlib import Path

        try:
            with Path(path).open("rb") as fh:
                version, saved, cache = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            return
        if version != CACHE_VERSION:
            return
        changed = set(saved) ^ self.words
        for text, cut in cache.items():
            if text not in self._cache and not any(w in text for w in changed):
                self._cache[text] = cut
        self._dirty = self._dirty or bool(changed)

    def save_cache(self, path) -> None:
        """Write the cuts for the next build (only when something new was cut)."""
        from pathlib import Path

        from .project import atomic_save

        if not self._dirty:
            return

        def write(tmp: Path) -> None:
            import pickle

            with tmp.open("wb") as fh:
                pickle.dump((CACHE_VERSION, sorted(self.words), self._cache), fh, protocol=pickle.HIGHEST_PROTOCOL)

        atomic_save(Path(path), write)
        self._dirty = False

    def forget_cache(self) -> None:
        """Let the cuts go from memory (after :meth:`save_cache`, when done cutting for now)."""
        self._cache.clear()
        self._search.clear()
        self._dirty = False

    def forget_texts(self, texts: Iterable[str]) -> None:
        """Let the cuts of these texts go (an index writer done with them)."""
        for t in texts:
            self._cache.pop(t, None)
            self._search.pop(t, None)

    def forget_search_tokens(self) -> None:
        """Let the search tokens go (they are derived from the cuts, which stay)."""
        self._search.clear()

    def cache_size(self) -> int:
        """How many cut texts the cache holds (for tests and benchmarks)."""
        return len(self._cache)

    # -- cutting
    def _base(self, text: str) -> list[str]:
        """jieba's cut of ``text`` (normalised), from the cache or cut now and kept."""
        cut = self._cache.get(text)
        if cut is None:
            cut = self._cache[text] = list(self._tokenizer.cut(normalise(text)))
            self._dirty = True
        return cut

    def tokens(self, text: str, search_mode: bool = True) -> list[str]:
        """Meaningful tokens of ``text``, lower-cased, without punctuation and stop words.

        In search mode long words also yield their sub-words (新就业群体 → 就业, 群体,
        新就业群体) so that a shorter query still matches: the same tokens, in the
        same order, as jieba's ``cut_for_search``, derived from the cached cut.
        """
        if search_mode and text in self._search:
            return self._search[text]
        out = []
        freq = self._tokenizer.FREQ
        for w in self._base(text):
            if search_mode and len(w) > 2:
                grams = [w[i:i + 2] for i in range(len(w) - 1)]
                if len(w) > 3:
                    grams += [w[i:i + 3] for i in range(len(w) - 2)]
                out += [g.strip() for g in grams if freq.get(g) and _keep(g.strip())]
            w = w.strip()
            if _keep(w):
                out.append(w)
        if search_mode:
            self._search[text] = out
        return out

    def tokens_with_positions(self, text: str) -> list[tuple[str, int, int, int]]:
        """(token, position, start, end) for an analyser: positions count tokens, not characters.

        Phrase queries need consecutive positions for consecutive words; jieba's
        own ChineseAnalyzer uses character offsets as positions, which breaks them.
        The words and offsets are those of jieba's ``tokenize`` (default mode).
        """
        out = []
        pos = start = 0
        for w in self._base(text):
            end = start + len(w)
            if w.strip() and _TOKEN_OK.search(w):
                w = w.strip()
                if not (w in STOP or (len(w) == 1 and _HAN.match(w))):
                    out.append((w, pos, start, end))
                pos += 1
            start = end
        return out

    def prefetch(self, texts: Iterable[str], workers: int | None = None) -> int:
        """Cut the texts not yet in the cache, on every core when there are many; return how many were cut.

        A cold build of 10,000 records cuts about 60,000 texts, the biggest single
        cost of the pipeline, and the Whoosh index needs the same cuts. Workers are
        forked, so each starts with this segmenter's dictionary already loaded;
        where fork is not available or other threads run, the texts are cut here,
        one by one, with the same result.
        """
        import multiprocessing as mp
        import os

        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        workers = workers or min(os.cpu_count() or 1, 4)
        # Forking a process that runs other threads (mkdocs serve's watcher) can
        # copy a lock some thread holds: there, cut here.
        if (len(todo) < PARALLEL_MIN or workers < 2 or threading.active_count() > 1
                or "fork" not in mp.get_all_start_methods()):
            for text in todo:
                self._base(text)
            return len(todo)
        ctx = mp.get_context("fork")
        running = []
        for k in range(workers):
            chunk = todo[k::workers]
            receive, send = ctx.Pipe(duplex=False)
            # Forked: the tokenizer reaches the worker as memory, not pickled.
            proc = ctx.Process(target=_cut_into, args=(self._tokenizer, chunk, send), daemon=True)
            proc.start()
            send.close()
            running.append((proc, receive, chunk))
        for proc, receive, chunk in running:
            try:
                cuts = receive.recv()
            except EOFError:  # the worker died: cut its share here
                cuts = [list(self._tokenizer.cut(normalise(t))) for t in chunk]
            proc.join()
            self._cache.update(zip(chunk, cuts))
        self._dirty = self._dirty or bool(todo)
        return len(todo)


def _cut_into(tokenizer, texts: list[str], conn) -> None:
    """A worker's share of :meth:`Segmenter.prefetch`: cut ``texts`` and send the cuts back."""
    conn.send([list(tokenizer.cut(normalise(t))) for t in texts])
    conn.close()
