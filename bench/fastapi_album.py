"""The load test's slot G: FastAPI + uvicorn serving the album.

What a FastAPI user would write: a pydantic model of the album as the
response model, one instance built at start-up, returned by the endpoint.
The models are made from the JSON the Rust servers send (ALBUM_JSON, a
file), field for field and in the same order, so load.sh can check that
the body is byte-identical before measuring.

    ALBUM_JSON=album.json uvicorn fastapi_album:app --port 8000
"""

import json
import os
from typing import Any, Optional

from fastapi import FastAPI
from pydantic import BaseModel, create_model


def model_of(name: str, sample: dict) -> type[BaseModel]:
    """A pydantic model with the fields of `sample`, typed from its values."""
    fields: dict[str, Any] = {}
    for key, value in sample.items():
        fields[key] = (type_of(f"{name}_{key}", value), ...)
    return create_model(name, **fields)


def type_of(name: str, value: Any) -> Any:
    if isinstance(value, dict):
        return model_of(name, value)
    if isinstance(value, list):
        return list[type_of(name, value[0])] if value else list[Any]
    if value is None:
        return Optional[str]
    return type(value)


with open(os.environ["ALBUM_JSON"], encoding="utf-8") as file:
    SAMPLE = json.load(file)

Album = model_of("Album", SAMPLE)
ALBUM = Album.model_validate(SAMPLE)

app = FastAPI()


@app.get("/album", response_model=Album)
def get_album() -> BaseModel:
    return ALBUM
