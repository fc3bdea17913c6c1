"""Field types shared by the input-file models (the JSON Resume models and the job spec).

Their own module, so that reading a job spec does not import (and build) every resume model: the
resume models are built when ``csmctl.documents.resume`` is imported, ~30 ms of pydantic schema
work that `jd render` does not need.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema

from csmctl.domain.partial_dates import PartialDate, parse_partial_date

Date = Annotated[
    PartialDate,
    PlainValidator(parse_partial_date),
    WithJsonSchema(
        {
            "description": "YYYY, YYYY-MM or YYYY-MM-DD (a bare year may be a YAML number)",
            "anyOf": [
                {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
        }
    ),
]


def not_null(value: Any) -> Any:
    """JSON Resume allows no null anywhere (its types are string, array and object)."""
    if value is None:
        raise ValueError("null is not allowed: give a value, or leave the key out")
    return value
