"""openapi-core (PyPI) validating every response a generated client gets
against the document the client was generated from (issue 19): status,
headers, content type and body, problem documents included. Used by
.ci/client-scenario.py as an httpx response hook."""

import json
from urllib.parse import parse_qs

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict


class _Request:
    def __init__(self, request):
        url = request.url
        self.host_url = f"{url.scheme}://{url.netloc.decode()}"
        self.path = url.path
        self.method = request.method.lower()
        self.body = request.content or None
        self.content_type = request.headers.get("content-type", "").lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(url.query.decode())),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )


class _Response:
    def __init__(self, response):
        self.status_code = response.status_code
        self.content_type = response.headers.get("content-type", "")
        self.headers = Headers(dict(response.headers))
        self.data = response.content or None


def validator(path):
    """An httpx response hook checking each response against `path`."""
    # Problem documents are JSON; openapi-core knows `application/json` only.
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    openapi = OpenAPI.from_dict(json.load(open(path)), config=config)
    checked = []

    def hook(response):
        response.read()
        openapi.validate_response(_Request(response.request), _Response(response))
        checked.append(f"{response.request.method} {response.request.url.path} {response.status_code}")

    hook.checked = checked
    return hook
