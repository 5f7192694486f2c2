"""The API against its own OpenAPI schema, with schemathesis: generated requests to every operation
(read and write) must get answers the schema describes: no server error, documented status codes
and content types, bodies that validate, writes that refuse requests without the token.

The schema is the one the app serves (checked below), loaded when the module is imported. Reads go to
the session's read-only server over HTTP, whose ledger has real events; writes go, without a token, to
the server that has one (the read-only server refuses every write with 403 whatever is sent).
"""

from __future__ import annotations

from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, settings

from trucewatch.web.app import openapi

schema = schemathesis.openapi.from_dict(openapi())


def test_web_schemathesis_schema_is_the_served_one(server: Any) -> None:
    assert httpx.get(server.url + "/openapi.json", timeout=120).json() == openapi()


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_web_schemathesis_api_conforms_to_its_schema(case: Any, server: Any, write_server: Any) -> None:
    # The truce endpoints wait up to 45 s for records built for a date (as_of), then answer 503: a client
    # must wait that long for the documented answer (schemathesis' own read timeout is 10 s).
    case.call_and_validate(base_url=write_server.url if case.method == "POST" else server.url, timeout=60)
