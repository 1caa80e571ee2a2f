"""make bench-intake: how well ``casebook source check`` finds what an article contains, and what is covered.

Development part: for each shipped article (all five are development
articles: the finder has been tuned on them), against the hand-written lists
of benchmarks/intake_expected.yml: how many of the article's methods,
figures and people the check lists; with all records present, how many of
the listed methods and figures it wrongly reports uncovered (a record's
evidence holds them); in a temporary copy of cases/ without the records that
cite the article, how many of its methods and figures it reports uncovered;
and the noise, how many listed items match nothing in the lists.

Fictional development part: the articles of benchmarks/intake_dev/ (written
to tune the finder's people on) go in through ``source add`` like the
held-out ones, and are reported item by item (missed and extra items).

Held-out part, by round (round 1: benchmarks/intake_heldout/, round 2:
benchmarks/intake_heldout2/, round 3: benchmarks/intake_heldout3/, round 4:
benchmarks/intake_heldout4/, round 5: benchmarks/intake_heldout5/): each article goes into a temporary copy of the
project through ``source add`` (the library function) with a temporary
sources folder and is checked; no record cites it, so every expected method
and figure should be listed as uncovered. Only totals are ever printed for it
(per article and per round, with ``--json`` too): per-item results are what
one would tune on. ``--dev`` skips every round without reading any held-out
file (for runs while changing the finder); ``--round N`` runs only round N
of the held-out part (each run is one more look at its totals).

Targets on the held-out articles (issue 25): ≥ 90% of methods and figures
reported uncovered, people found ≥ 90%; ≤ 5% wrongly reported uncovered is
measured on the development articles (the held-out ones have no records).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_tools.build import run_validation  # noqa: E402
from build_tools.checks import normalise  # noqa: E402
from build_tools.source_items import Item, check_source, record_evidence  # noqa: E402

EXPECTED = Path(__file__).with_name("intake_expected.yml")
# Held-out rounds, oldest first: each folder holds articles written and listed before the finder ran on them.
HELDOUT_ROUNDS = {1: Path(__file__).with_name("intake_heldout"), 2: Path(__file__).with_name("intake_heldout2"),
                  3: Path(__file__).with_name("intake_heldout3"), 4: Path(__file__).with_name("intake_heldout4"),
                 5: Path(__file__).with_name("intake_heldout5")}
DEV_FICTION = Path(__file__).with_name("intake_dev")
SOURCES = ROOT.parent / "shared" / "sources"


def unquoted(text: str) -> str:
    return normalise(re.sub(r"[“”‘’\"']", "", text))


def found_method(name: str, items: list[Item]) -> Item | None:
    want = unquoted(name)
    methods = [it for it in items if it.kind == "method"]
    return (next((it for it in methods if unquoted(it.key) == want), None)
            or next((it for it in methods if want in unquoted(it.key)
                     or (len(unquoted(it.key)) >= 2 and unquoted(it.key) in want)), None))


def found_figure(fragment: str, items: list[Item]) -> Item | None:
    want = normalise(fragment)
    return next((it for it in items if it.kind == "figure" and want in normalise(it.text)
                 and re.sub(r"\D", "", it.key) in re.sub(r"\D", "", want)), None)


def found_person(name: str, items: list[Item]) -> Item | None:
    return next((it for it in items if it.kind == "person" and it.key == name), None)


FINDERS = {"method": found_method, "figure": found_figure, "person": found_person}
LISTS = {"method": "methods", "figure": "figures", "person": "people"}


def noise(items: list[Item], spec: dict) -> int:
    """How many listed items match nothing in the article's hand-written lists."""
    wanted = {kind: [str(w) for w in spec.get(LISTS[kind]) or []] for kind in FINDERS}
    return sum(1 for it in items if not any(FINDERS[it.kind](w, [it]) for w in wanted[it.kind]))


def truly_covered(kind: str, wanted: str, article: str, evidence: list[str]) -> bool:
    """By the hand-written string, not the finder: does some record's evidence hold it?"""
    norm = [normalise(e) for e in evidence]
    want = unquoted(wanted) if kind == "method" else normalise(wanted)
    if any(want in (unquoted(e) if kind == "method" else e) for e in norm):
        return True
    if kind != "figure":
        return False
    digits = re.search(r"\d+(?:\.\d+)?", wanted)
    number = digits.group(0) if digits else want
    sentences = [s for s in re.split(r"[。；;]", normalise(article)) if want in s]
    return any(number in e and e in s for e in norm for s in sentences)


def measure(cases: Path, sid: str, spec: dict) -> dict:
    validation = run_validation(cases)
    records = [r for r, _ in validation.records]
    source = validation.registry.sources[sid]
    items = check_source(records, source, SOURCES).items
    article = (SOURCES / source.file).read_text(encoding="utf-8")
    evidence = [e for r in records for e in record_evidence(r, sid)]
    named = {p.name for r in records if sid in {s.source for s in r.sources} for p in r.people}
    out = {"items": len(items), "noise": noise(items, spec), "rows": []}
    for kind, finder in (("method", found_method), ("figure", found_figure)):
        for wanted in spec.get(kind + "s") or []:
            it = finder(str(wanted), items)
            out["rows"].append({"kind": kind, "wanted": str(wanted), "found": it is not None,
                                "reported_uncovered": it is not None and not it.covered_by,
                                "covered": truly_covered(kind, str(wanted), article, evidence)})
    for name in spec.get("people") or []:
        it = found_person(name, items)
        out["rows"].append({"kind": "person", "wanted": name, "found": it is not None,
                            "reported_uncovered": it is not None and not it.covered_by,
                            "covered": name in named or any(name in normalise(e) for e in evidence)})
    return out


def without_article(sid: str, tmp: Path) -> Path:
    """A copy of cases/ without the records that cite article ``sid``."""
    copy = tmp / f"cases-{sid}"
    shutil.copytree(ROOT / "cases", copy)
    validation = run_validation(copy)
    for rec, doc in validation.records:
        cited = {s.source for s in rec.sources} | {x.source for n in ("background", "practices", "outcomes", "people")
                                                   for x in getattr(rec, n)} | {mt.source for mt in rec.metrics}
        if sid in cited:
            doc.path.unlink()
    return copy


def pct(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.0%}" if b else "—"


def verbatim_misses(spec: dict, text: str) -> list[str]:
    """The strings of a hand-written list that do not stand in the article (the lists must quote it verbatim)."""
    text = normalise(text)
    return [str(w) for k in ("methods", "figures", "people") for w in spec.get(k) or [] if normalise(str(w)) not in text]


def development(expected: dict, tmp: Path) -> dict:
    results = {}
    for sid, spec in expected.items():
        full = measure(ROOT / "cases", sid, spec)
        gone = measure(without_article(sid, tmp), sid, spec)
        results[sid] = summarise(spec["role"], full, gone)
    return results


def through_source_add(folder: Path, sid: str, spec: dict, tmp: Path) -> list[Item] | str:
    """The items of an article of ``folder`` put into a temporary copy of the project by ``source add`` (the library
    function) and checked; a Chinese error message instead when it cannot be (a count, never the held-out strings)."""
    from build_tools.intake import IntakeError, add_source

    article = folder / spec["file"]
    bad = verbatim_misses(spec, article.read_text(encoding="utf-8"))
    if bad:
        return f"清单中有 {len(bad)} 项不在原文中"
    cases, sources = tmp / f"{folder.name}-{sid}" / "cases", tmp / f"{folder.name}-{sid}" / "sources"
    shutil.copytree(ROOT / "cases", cases)
    sources.mkdir()
    try:
        add_source(article, sources, cases, sid)
    except IntakeError as err:
        return f"source add 失败：{err}"
    validation = run_validation(cases)
    records = [r for r, _ in validation.records]
    return check_source(records, validation.registry.sources[sid], sources).items


def tally(spec: dict, items: list[Item]) -> tuple[dict, list[dict]]:
    """The totals of one fictional article's check against its lists (no record cites it), and the rows behind them."""
    rows = [{"kind": kind, "wanted": str(w), "item": FINDERS[kind](str(w), items)}
            for kind in FINDERS for w in spec.get(LISTS[kind]) or []]
    count = lambda kind: [sum(1 for r in rows if r["kind"] == kind and r["item"]),
                          sum(1 for r in rows if r["kind"] == kind)]
    mf = [r for r in rows if r["kind"] != "person"]
    totals = {"items": len(items), "noise": noise(items, spec),
              "methods": count("method"), "figures": count("figure"), "people": count("person"),
              "listed_uncovered": [sum(1 for r in mf if r["item"] and not r["item"].covered_by), len(mf)]}
    return totals, rows


def fictional_dev(tmp: Path) -> dict:
    """The fictional development articles (benchmarks/intake_dev/), through ``source add`` like the held-out ones but
    reported item by item: no record cites them, so every expected method and figure should be listed uncovered."""
    expected = yaml.safe_load((DEV_FICTION / "expected.yml").read_text(encoding="utf-8"))
    results = {}
    for sid, spec in expected.items():
        items = through_source_add(DEV_FICTION, sid, spec, tmp)
        if isinstance(items, str):
            results[sid] = {"role": "dev", "error": items}
            continue
        totals, rows = tally(spec, items)
        wanted = {kind: [str(w) for w in spec.get(LISTS[kind]) or []] for kind in FINDERS}
        results[sid] = {"role": "dev", **totals,
                        "missed": [r["wanted"] for r in rows if not r["item"]],
                        "extra": [it.text for it in items
                                  if not any(FINDERS[it.kind](w, [it]) for w in wanted[it.kind])]}
    return results


def heldout(folder: Path, tmp: Path) -> dict:
    """Totals only, per article of one held-out round: each goes in through ``source add`` and is checked in a
    project copy."""
    expected = yaml.safe_load((folder / "expected.yml").read_text(encoding="utf-8"))
    results = {}
    for sid, spec in expected.items():
        items = through_source_add(folder, sid, spec, tmp)
        # The rows name the missed items: they stay here, never printed for a held-out article.
        results[sid] = ({"role": "held-out", "error": items} if isinstance(items, str)
                        else {"role": "held-out", **tally(spec, items)[0]})
    return results


def main() -> int:
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    only = sys.argv[sys.argv.index("--only") + 1].split(",") if "--only" in sys.argv else list(expected)
    expected = {sid: spec for sid, spec in expected.items() if sid in only}
    for sid, spec in expected.items():
        bad = verbatim_misses(spec, (SOURCES / spec["file"]).read_text(encoding="utf-8"))
        if bad:
            print(f"✘ intake_expected.yml 中 {sid} 的这些字符串不在原文中：{bad}")
            return 2
    rounds = [] if "--dev" in sys.argv else held_rounds()
    tmp = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    try:
        dev = development(expected, tmp)
        fiction = fictional_dev(tmp) if DEV_FICTION.is_dir() and "--only" not in sys.argv else {}
        held = {n: heldout(HELDOUT_ROUNDS[n], tmp) for n in rounds}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("来源检查的质量：调试用的文章（benchmarks/intake_expected.yml，000–004 都已用来调试）\n")
    for sid, r in dev.items():
        print(f"{sid}（调试）：列出 {r['items']} 项，其中不在清单里的 {r['noise']} 项")
        print(f"  找到：做法 {pct(*r['methods'])}，数字 {pct(*r['figures'])}，人物 {pct(*r['people'])}")
        print(f"  记录都在时误报“未覆盖”：{pct(*r['wrong_uncovered'])}（做法和数字，按原文短句判断确有记录覆盖的）")
        print(f"  删去本文的记录后报“未覆盖”：{pct(*r['uncovered_when_gone'])}（做法和数字）")
        if r["missed"]:
            print(f"  没找到：{'、'.join(r['missed'])}")
        if r["wrong"]:
            print(f"  误报未覆盖：{'、'.join(r['wrong'])}")
    if fiction:
        print("\n调试用的虚构文章（benchmarks/intake_dev/，经 source add 读入，没有记录引用；逐项列出）\n")
    for sid, r in fiction.items():
        if "error" in r:
            print(f"{sid}（调试，虚构）：✘ {r['error']}")
            continue
        print(f"{sid}（调试，虚构）：列出 {r['items']} 项，其中不在清单里的 {r['noise']} 项")
        print(f"  找到：做法 {pct(*r['methods'])}，数字 {pct(*r['figures'])}，人物 {pct(*r['people'])}")
        print(f"  做法和数字列为“未覆盖”：{pct(*r['listed_uncovered'])}")
        if r["missed"]:
            print(f"  没找到：{'、'.join(r['missed'])}")
        if r["extra"]:
            print(f"  不在清单里：{'、'.join(r['extra'])}")
    total = lambda rs, key: [sum(r[key][0] for r in rs), sum(r[key][1] for r in rs)]
    rs = list(dev.values())
    checks = [("调试文章：记录都在时误报未覆盖 ≤ 5%", total(rs, "wrong_uncovered"), 0.05, "≤")] if rs else []
    fs = [r for r in fiction.values() if "error" not in r]
    checks += [("调试用的虚构文章：人物找到", total(fs, "people"), 0.9, "≥")] if fs else []
    for n, round_ in held.items():
        # Totals only: the held-out articles' items are never printed, by any option.
        print(f"\n留作检验的文章，第 {n} 轮（benchmarks/{HELDOUT_ROUNDS[n].name}/，经 source add 读入，没有记录引用）："
              "只报总数\n")
        for sid, r in round_.items():
            if "error" in r:
                print(f"{sid}（检验）：✘ {r['error']}")
                continue
            print(f"{sid}（检验）：列出 {r['items']} 项，其中不在清单里的 {r['noise']} 项；做法 {pct(*r['methods'])}，"
                  f"数字 {pct(*r['figures'])}，人物 {pct(*r['people'])}；做法和数字列为“未覆盖”{pct(*r['listed_uncovered'])}")
        hs = [r for r in round_.values() if "error" not in r]
        checks += [(f"检验文章第 {n} 轮：做法和数字列为未覆盖 ≥ 90%", total(hs, "listed_uncovered"), 0.9, "≥"),
                   (f"检验文章第 {n} 轮：人物找到 ≥ 90%", total(hs, "people"), 0.9, "≥")]
    print("\n合计：")
    for label, (a, b), bound, sense in checks:
        good = a <= bound * max(b, 1) if sense == "≤" else a >= bound * b
        print(f"  {'✔' if good else '✘'} {label}：{pct(a, b)}")
    if "--json" in sys.argv:
        print(json.dumps({"development": dev, "development_fiction": fiction,
                          "held_out": {f"round {n}": r for n, r in held.items()}}, ensure_ascii=False, indent=2))
    return 0


def held_rounds() -> list[int]:
    """The held-out rounds this run looks at: all of them, or the one named by ``--round N``."""
    if "--round" not in sys.argv:
        return sorted(HELDOUT_ROUNDS)
    n = int(sys.argv[sys.argv.index("--round") + 1])
    if n not in HELDOUT_ROUNDS:
        raise SystemExit(f"✘ 没有第 {n} 轮检验文章（有 {'、'.join(map(str, HELDOUT_ROUNDS))}）")
    return [n]


def summarise(role: str, full: dict, gone: dict) -> dict:
    rows = full["rows"]
    mf = [r for r in rows if r["kind"] in ("method", "figure")]
    count = lambda kind: [sum(1 for r in rows if r["kind"] == kind and r["found"]),
                          sum(1 for r in rows if r["kind"] == kind)]
    held = [r for r in mf if r["found"] and r["covered"]]
    gone_mf = [r for r in gone["rows"] if r["kind"] in ("method", "figure")]
    return {
        "role": role, "items": full["items"], "noise": full["noise"],
        "methods": count("method"), "figures": count("figure"), "people": count("person"),
        "wrong_uncovered": [sum(1 for r in held if r["reported_uncovered"]), len(held)],
        "uncovered_when_gone": [sum(1 for r in gone_mf if r["reported_uncovered"]), len(gone_mf)],
        "missed": [r["wanted"] for r in rows if not r["found"]],
        "wrong": [r["wanted"] for r in held if r["reported_uncovered"]],
    }


if __name__ == "__main__":
    sys.exit(main())
