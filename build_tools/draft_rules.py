"""What ``casebook validate`` says about drafts: statements not yet written, and drafts outside ``cases/_drafts/``.

A draft (``casebook new --from-source``) is a record with ``draft: true`` in
``cases/_drafts/``: its evidence is filled in, its statements are not. The
site build never reads that folder (folders starting with ``_`` hold no
records), so a draft cannot reach the site; ``casebook validate`` reads it
and reports every unwritten statement (a warning, an error under --strict).
"""

from __future__ import annotations

from typing import Iterator

from . import model as m
from .load import DRAFTS_DIR, Document, format_path
from .problems import Problem, problem

UNWRITTEN = "【待写】"  # the text of a statement slot the editor has not written yet


def is_draft_file(doc: Document) -> bool:
    """Whether the file lies in the drafts folder."""
    return doc.path.parent.name == DRAFTS_DIR


def check_draft(doc: Document, rec: m.Record) -> Iterator[Problem]:
    """Unwritten statements (a warning in a draft, an error in a record); a draft outside ``_drafts/``."""
    in_drafts = is_draft_file(doc)
    if rec.draft and not in_drafts:
        yield problem("draft-outside-drafts", doc.display, doc.pos(("draft",)), "draft",
                      suggestion=f"写完了就删去 draft: true；还没写完就移回 cases/{DRAFTS_DIR}/")
    code = "draft-unwritten" if in_drafts else "unwritten-in-record"
    slots = [((name, i, "text"), c.text) for name in ("background", "practices", "outcomes")
             for i, c in enumerate(getattr(rec, name))]
    slots += [(("metrics", i, "label"), mt.label) for i, mt in enumerate(rec.metrics)]
    slots += [(("title",), rec.title), (("summary",), rec.summary)]
    for path, text in slots:
        if UNWRITTEN in text:
            where = format_path(path)
            yield problem(code, doc.display, doc.pos(path), where, field=where,
                          suggestion=f"对照下面的证据原文，用自己的话写出这一句，替换“{UNWRITTEN}”；"
                                     "证据撑不起的句子整条删去")
