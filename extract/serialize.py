"""Triple records as JSON, for `majlis build --triples` (one JSON object per line).

    {"subject": {"kind": "person", "key": "..."},
     "relation": "jobTitle",
     "object": {"literal": "وزير الداخلية", "type": "string"},
     "confidence": 1.0,
     "evidence": [{"article": "...", "sentence": 0, "start": 0, "end": 57, "text": "..."}]}

An object is either a node ({"kind", "key"}) or a literal ({"literal", "type"}) where type is
"string", "date" (ISO 8601) or "float". Keys always come in this order, so equal triples
give equal lines.
"""
from __future__ import annotations

import datetime as dt
import json

from .types import Evidence, Node, Triple, Value


def triple_to_json(triple: Triple) -> dict:
    return {
        "subject": _node(triple.subject),
        "relation": triple.relation,
        "object": _value(triple.object),
        "confidence": triple.confidence,
        "evidence": [_evidence(e) for e in triple.evidence],
    }


def triple_to_json_line(triple: Triple) -> str:
    """One line of JSON Lines, Arabic kept readable (no \\u escapes), without the newline."""
    return json.dumps(triple_to_json(triple), ensure_ascii=False)


def _node(node: Node) -> dict:
    return {"kind": node.kind, "key": node.key}


def _value(value: Value) -> dict:
    if isinstance(value, Node):
        return _node(value)
    # bool is an int and datetime a date: neither is a Value, and both would be written wrongly.
    if isinstance(value, str):
        return {"literal": value, "type": "string"}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"literal": value.isoformat(), "type": "date"}
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        return {"literal": float(value), "type": "float"}
    raise TypeError(f"not a triple object: {value!r}")


def _evidence(evidence: Evidence) -> dict:
    return {
        "article": evidence.article_id,
        "sentence": evidence.sentence,
        "start": evidence.start,
        "end": evidence.end,
        "text": evidence.text,
    }
