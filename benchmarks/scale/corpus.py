"""The synthetic project: N valid records recombined from the real ones, loaded back, and one record edited."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from .common import OUT, ROOT

SEED = 20240601


def project_dir(n: int) -> Path:
    """The folder of the ``n``-record synthetic project."""
    return OUT / f"corpus-{n}"


def config_text() -> str:
    """The repo's mkdocs.yml with the casebook plugin set to strict: false and no sources."""
    import yaml

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    try:
        cfg = yaml.safe_load(text)
        for i, plug in enumerate(cfg.get("plugins", [])):
            if plug == "casebook":
                cfg["plugins"][i] = plug = {"casebook": {}}
            if isinstance(plug, dict) and "casebook" in plug:
                opts = plug["casebook"] or {}
                opts.update({"sources_dir": "_no_sources_here_", "strict": False})
                plug["casebook"] = opts
                return yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False)
        raise ValueError("mkdocs.yml 中没有 casebook 插件")
    except yaml.YAMLError:  # custom tags (!ENV …): patch the text instead
        new, k = re.subn(r"^(\s+)sources_dir:.*$", r"\1sources_dir: _no_sources_here_\n\1strict: false", text,
                         count=1, flags=re.M)
        if not k:
            raise
        return new


def generate_corpus(n: int) -> Path:
    """Write a project of ``n`` valid synthetic records; return its folder."""
    import yaml

    from build_tools.build import load_corpus

    corpus, validation = load_corpus(ROOT / "cases")
    real = [r.model_dump(mode="json") for r in corpus.records.values()]
    if not real:
        raise RuntimeError("真实语料为空，无法生成合成记录")
    rng = random.Random(f"{SEED}-{n}")
    dest = project_dir(n)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copytree(ROOT / "cases" / "_registry", dest / "cases" / "_registry")
    (dest / "mkdocs.yml").write_text(config_text(), encoding="utf-8")

    def pick() -> dict:
        return rng.choice(real)

    relations = ["same-mechanism", "part-of", "teach-together"]
    for k in range(n):
        base = pick()  # where and what: title, aliases, place, unit, level, period, sources
        practices = list(pick()["practices"])
        if rng.random() < 0.5:  # mix in a step or two from another method
            extra = pick()["practices"]
            practices += rng.sample(extra, min(len(extra), rng.randint(1, 2)))
        metrics = []
        for mt in pick()["metrics"]:  # each metric whole: its value stays in its evidence
            metrics.append({key: v for key, v in mt.items() if v is not None})
        teach = pick()
        rec = {
            "id": f"syn-{k:06d}",
            "title": base["title"],
            "aliases": list(base["aliases"]),
            "place": base["place"],
            "unit": base["unit"],
            "level": base["level"],
            "period": base["period"],
            "summary": pick()["summary"],
            "background": pick()["background"],
            "practices": practices,
            "structure": pick()["structure"],
            "outcomes": list(pick()["outcomes"]),
            "metrics": metrics,
            "tags": list(pick()["tags"]),
            "related": [],
            "sources": [dict(s) for s in base["sources"]],
            "lessons": list(pick()["lessons"]),
            "teaching": {"questions": list(teach["teaching"]["questions"]),
                         "key_points": list(teach["teaching"]["key_points"])},
            "attribution_note": pick()["attribution_note"] if rng.random() < 0.3 else None,
            "status": "complete",
        }
        # Links only to earlier synthetic records: they exist, and no pair is written twice.
        if k:
            targets = rng.sample(range(k), min(k, rng.choice([0, 0, 1, 1, 2, 3])))
            rec["related"] = [{"id": f"syn-{j:06d}", "relation": rng.choice(relations)} for j in targets]
        need = [rec["summary"], rec["background"], rec["practices"], rec["outcomes"], rec["tags"],
                rec["lessons"], rec["teaching"]["key_points"]]
        if not all(need) or not 2 <= len(rec["teaching"]["questions"]) <= 4 or not 1 <= len(rec["tags"]) <= 6:
            rec["status"] = "partial"
        path = dest / "cases" / rec["place"] / f"{rec['id']}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# 合成记录（benchmarks/scale 生成，仅供性能测试）\n"
                        + yaml.safe_dump(rec, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return dest


def load_valid(project: Path):
    """The project's corpus, loaded without sources; an error naming the first problems if it does not validate."""
    from build_tools.build import load_corpus

    # Synthetic records are recombined for timing; warnings (strict) do not matter here.
    corpus, validation = load_corpus(project / "cases", None, False)
    if not validation.report.valid:
        errs = [p.format() for p in validation.report.errors()][:10]
        raise RuntimeError("合成记录未通过校验：\n" + "\n".join(errs))
    return corpus


class OneEdit:
    """Within the block, the first record's summary starts with an edit; the file is put back after."""

    def __init__(self, project: Path):
        # A record, not a registry file (cases/_registry/ sorts first and has no summary).
        self.path = sorted(p for p in (project / "cases").glob("*/*.yml") if not p.parent.name.startswith("_"))[0]

    def __enter__(self):
        self.original = self.path.read_text(encoding="utf-8")
        edited = self.original.replace("\nsummary: ", "\nsummary: 编辑测试。", 1)
        if edited == self.original:
            raise RuntimeError(f"{self.path} 里没有 summary 字段：改一条记录的计时会什么都没改")
        self.path.write_text(edited, encoding="utf-8")
        return self

    def __exit__(self, *exc):
        self.path.write_text(self.original, encoding="utf-8")
        return False
