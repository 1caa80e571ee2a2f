"""Content findings allowed for now (cases/_registry/pending.yml): reported as info, and the list only shrinks.

When a content check arrives, the findings it makes on the shipped records
are listed once, dated, and fixed record by record. A listed finding is
still shown (as info, so a strict build passes); a finding not on the list
is a warning as usual; a listed finding that no longer occurs is itself a
warning, so the entry is deleted as soon as the record is fixed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from .problems import INFO, Problem, problem
from .registry import Registry

FIGURE_CODES = frozenset({"figure-in-name", "figure-qualifier-dropped", "figure-numeral-word", "figure-ratio-split"})
# These need the articles (casebook validate --sources).
WORDING_CODES = frozenset({"stronger-than-evidence", "quoted-label-not-in-source", "note-working-words",
                           "thin-mismatch", "lesson-repeats-analysis", "effect-not-reported",
                           "open-list-closed", "aim-written-as-done"})
CONTENT_CODES = FIGURE_CODES | WORDING_CODES


def finding_key(p: Problem) -> tuple[str, str, str]:
    """(record id, field, code) of a problem found in a record file."""
    return PurePosixPath(p.file).stem, p.field, p.code


def apply_pending(problems: list[Problem], reg: Registry, with_sources: bool,
                  records: set[str] | None = None) -> list[Problem]:
    """Listed findings turned into info; a warning for each listed finding that is gone.

    ``records`` limits the look for gone findings to these record ids (one
    edited record); ``with_sources`` says whether the checks that need the
    articles ran.
    """
    if reg.pending is None:
        return problems
    listed = {(f.record, f.field, f.code): i for i, f in enumerate(reg.pending.findings)}
    seen: set[tuple[str, str, str]] = set()
    out = []
    for p in problems:
        key = finding_key(p)
        if p.code in CONTENT_CODES and key in listed:
            seen.add(key)
            p = replace(p, severity=INFO, message=f"（待改，已列入 {reg.pending_doc.display}）{p.message}")
        out.append(p)
    doc = reg.pending_doc
    for key, i in listed.items():
        rid, fld, code = key
        ran = code in FIGURE_CODES or (code in WORDING_CODES and with_sources)
        if key in seen or not ran or (records is not None and rid not in records):
            continue
        out.append(problem("pending-gone", doc.display, doc.pos(("findings", i)), f"findings[{i}]",
                           record=rid, at_field=fld, finding=code,
                           suggestion="这一条已经改好（或字段变了）：从清单中删去这一条"))
    return out
