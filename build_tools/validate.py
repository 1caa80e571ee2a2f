"""Validate loaded case files: every problem in one run, as data.

Each check is a generator of :class:`~build_tools.problems.Problem`; the
runner :func:`validate` collects them all and never stops at the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .checks import check_across, check_complete, check_evidence, check_record_refs, read_sources
from .draft_rules import check_draft
from .figure_checks import NAME_SUFFIXES, check_figures
from .lexicon import check_terms_used, record_text
from .load import Document, Loaded
from .pending import apply_pending
from .problems import Problem, Report, problem
from .registry import Registry, validate_registries
from .segment import GENERIC, Segmenter
from .shape import check_model
from .aims import check_aims
from .open_lists import check_open_lists
from .wording import Cut, check_wording


@dataclass
class Validation:
    """The result of validating a cases directory."""

    report: Report
    registry: Registry
    records: list[tuple[m.Record, Document]]
    documents: list[Document]
    cases_dir: Path | None = None
    drafts: list[tuple[m.Record, Document]] = field(default_factory=list)  # cases/_drafts/, never on the site
    segmenter: Segmenter | None = None  # the one the wording checks used (a build may borrow its dictionary)


def validate(loaded: Loaded, sources_dir: Path | None = None, strict: bool = False,
             segmenter: Segmenter | None = None) -> Validation:
    """Run every check on everything loaded; collect all problems.

    ``segmenter`` lends jieba's dictionary to the wording checks (made here when needed).
    """
    report = Report(strict=strict)
    reg, probs = validate_registries(loaded)
    report.extend(probs)
    records: list[tuple[m.Record, Document]] = []
    if not loaded.records:
        report.extend([problem("no-records", str(loaded.cases_dir), None, dir=loaded.cases_dir)])
    for doc in loaded.records:
        rec, probs = _record_alone(doc, reg)
        report.extend(probs)
        if rec is not None:
            records.append((rec, doc))
    drafts: list[tuple[m.Record, Document]] = []
    for doc in loaded.drafts:
        rec, probs = _record_alone(doc, reg)
        report.extend(probs)
        if rec is not None:
            drafts.append((rec, doc))
    report.extend(check_across(records, loaded.records + loaded.drafts, reg))
    if reg.lexicon is not None and records:
        report.extend(check_terms_used(loaded.lexicon, reg.lexicon, (record_text(r) for r, _ in records)))
    texts, probs = read_sources(reg, sources_dir)
    report.extend(probs)
    made: dict[str, Segmenter] = {}
    if texts is not None:
        cut = _cut(segmenter, made)
        for rec, doc in records + drafts:
            report.extend(check_evidence(doc, rec, texts, {k: v.date for k, v in reg.sources.items()}))
            report.extend(_wording(doc, rec, reg, texts, cut))
    report.problems = list(dict.fromkeys(report.problems))  # one problem found by two checks
    _drop_same_spot(report)
    report.problems = apply_pending(report.problems, reg, texts is not None and reg.wording is not None,
                                    {r.id for r, _ in records})
    return Validation(report=report, registry=reg, records=records, documents=loaded.records,
                      cases_dir=loaded.cases_dir, drafts=drafts, segmenter=made.get("segmenter"))


def _drop_same_spot(report: Report) -> None:
    """Keep one problem per spot and message: two checks may see the same fault."""
    seen: set = set()
    kept = []
    for p in report.problems:
        key = (p.code, p.file, p.line, p.field, p.message)
        if key in seen:
            continue
        seen.add(key)
        kept.append(p)
    report.problems = kept


def _record_alone(doc: Document, reg: Registry) -> tuple[m.Record | None, list[Problem]]:
    """The file's own problems, its references into the registries, the model, completeness."""
    out = list(doc.problems)
    if doc.data is None:
        return None, out
    out.extend(check_record_refs(doc, reg))
    rec, probs = check_model(doc, m.Record)
    out.extend(probs)
    if rec is not None:
        out.extend(check_complete(doc, rec))
        suffixes = tuple(reg.wording.name_suffixes) if reg.wording and reg.wording.name_suffixes else NAME_SUFFIXES
        out.extend(check_figures(doc, rec, suffixes))
        out.extend(check_draft(doc, rec))
    return rec, out


def _wording(doc: Document, rec: m.Record, reg: Registry, texts: dict[str, str],
             cut: Cut) -> list[Problem]:
    """The wording checks, when the registry has its word lists (wording.yml)."""
    if reg.wording is None:
        return []
    articles = list(texts.values())
    return list(check_wording(doc, rec, articles, reg.wording, cut)) + list(
        check_open_lists(doc, rec, articles, reg.wording)) + list(check_aims(doc, rec, articles, reg.wording))


def _cut(like: Segmenter | None, made: dict[str, Segmenter]) -> Cut:
    """Words for comparing a lesson with the analysis: the segmenter's, without the corpus's common words.

    The segmenter (jieba's dictionary, about 0.6 s) is made on the first cut and kept in ``made``:
    records whose lessons share too little with their analysis to be compared never need it.
    """
    def cut(text: str) -> list[str]:
        if "segmenter" not in made:
            made["segmenter"] = Segmenter(like=like)
        return [w for w in made["segmenter"].tokens(text, search_mode=False) if w not in GENERIC]
    return cut


def check_record(doc: Document, registry: Registry, sources_dir: Path | None = None,
                 strict: bool = False, segmenter: Segmenter | None = None) -> tuple[m.Record | None, Report]:
    """The checks that look at one record file alone, against the registries and articles.

    What :func:`validate` does for each record, without the checks across
    records (ids, titles, links, lexicon use): for re-checking one edited file
    while everything else is known to be valid.
    """
    report = Report(strict=strict)
    rec, probs = _record_alone(doc, registry)
    report.extend(probs)
    if rec is None:
        return None, report
    texts, probs = read_sources(registry, sources_dir)
    report.extend(p for p in probs if p.code != "sources-skipped")
    if texts is not None:
        report.extend(check_evidence(doc, rec, texts, {k: v.date for k, v in registry.sources.items()}))
        report.extend(_wording(doc, rec, registry, texts, _cut(segmenter, {})))
    report.problems = list(dict.fromkeys(report.problems))
    _drop_same_spot(report)
    report.problems = apply_pending(report.problems, registry, texts is not None and registry.wording is not None,
                                    {rec.id})
    return rec, report
