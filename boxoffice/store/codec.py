"""Turning API models into JSON for the offline cache and back.

Models are dumped with ``model_dump(mode="json", by_alias=True)`` and rebuilt with
``model_validate`` so the API's own validators run again on load. Aware datetimes are written as
Europe/Amsterdam local time WITH their UTC offset, ``YYYY-MM-DD HH:MM:SS+01:00``: every date-time
parser of the API models accepts that form, and the offset keeps the instant on the night the
clocks go back (02:30 comes twice; without the offset the second came back an hour early). A
naive datetime is written as it is; caches written before the offset are read as venue time.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

from boxoffice.domain.clock import VENUE_ZONE

if TYPE_CHECKING:  # pydantic is not needed to open the cache (a cold start reads it first)
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%d %H:%M:%S")
        return value.astimezone(VENUE_ZONE).isoformat(sep=" ")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def model_to_data(model: BaseModel) -> Any:
    """A JSON-ready structure the model's validators accept again."""
    python = model.model_dump(mode="python", by_alias=True)
    json_mode = model.model_dump(mode="json", by_alias=True)
    return _merge_datetimes(python, json_mode)


def _merge_datetimes(python: Any, json_mode: Any) -> Any:
    # JSON mode handles Decimal/date/time/enum; only datetimes need the venue-time form.
    if isinstance(python, datetime):
        return _plain(python)
    if isinstance(python, dict):
        return {k: _merge_datetimes(python[k], json_mode[k]) for k in json_mode}
    if isinstance(python, list | tuple):
        return [_merge_datetimes(p, j) for p, j in zip(python, json_mode, strict=True)]
    return json_mode


def dumps_models(models: list[BaseModel] | BaseModel) -> str:
    if hasattr(models, "model_dump"):  # one model
        return json.dumps(model_to_data(cast("BaseModel", models)), separators=(",", ":"), ensure_ascii=False)
    return json.dumps([model_to_data(m) for m in models], separators=(",", ":"), ensure_ascii=False)


def loads_models(cls: type[M], text: str) -> list[M]:
    data = json.loads(text)
    if not isinstance(data, list):
        raise ValueError("expected a JSON array")
    return [cls.model_validate(item) for item in data]


def loads_model(cls: type[M], text: str) -> M:
    return cls.model_validate(json.loads(text))
