"""The record model and its JSON schema (used by editors via yaml-language-server)."""

from __future__ import annotations

import json
from pathlib import Path

from build_tools import model as m
from build_tools.model import Record, record_json_schema
from conftest import second_record, valid_record

REPO = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPO / "schema" / "record.schema.json"


def test_schema_has_every_record_field():
    schema = record_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "基层治理案例记录"
    assert schema["type"] == "object"
    assert set(schema["properties"]) == set(Record.model_fields)
    for name in ("id", "title", "place", "unit", "level", "summary", "metrics", "tags", "related",
                 "sources", "lessons", "teaching", "status"):
        assert name in schema["properties"]
    assert set(schema["required"]) == {"id", "title", "place", "level", "sources"}
    assert schema["additionalProperties"] is False


def test_schema_constraints_match_model():
    schema = record_json_schema()
    props = schema["properties"]
    assert props["id"]["pattern"] == m.ID_PATTERN
    assert props["summary"]["maxLength"] == m.SUMMARY_MAX
    assert props["title"]["maxLength"] == m.TITLE_MAX
    assert set(props["level"]["enum"]) == {"市级", "县级", "镇街级", "社区级", "村级", "小区级"}
    assert set(props["status"]["enum"]) == {"stub", "partial", "complete"}
    defs = schema["$defs"]
    assert {"Metric", "Range", "RelatedRef", "SourceRef", "Teaching"} <= set(defs)
    assert defs["Metric"]["properties"]["evidence"]["maxLength"] == m.EVIDENCE_MAX
    assert defs["Metric"]["additionalProperties"] is False


def test_committed_schema_is_up_to_date():
    """schema/record.schema.json must equal the freshly generated schema (run `casebook schema`)."""
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == record_json_schema()


def test_committed_schema_text_is_what_write_schema_writes(tmp_path):
    from build_tools.build import write_schema

    out = write_schema(tmp_path / "record.schema.json")
    assert out.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")


def test_helper_records_satisfy_the_model():
    for rec in (valid_record(), second_record()):
        parsed = Record.model_validate(rec)
        assert parsed.status == "complete"
        assert 2 <= len(parsed.teaching.questions) <= 4
    assert isinstance(Record.model_validate(second_record()).metrics[0].value, m.Range)
