"""Property-based API testing against the OpenAPI document: no input gives a server error.

Schemathesis makes the requests from the document (valid and invalid), each endpoint with
a trainer's and a trainee's token; a bounded number of examples keeps it quick.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.e2e.web.conftest import World

EXAMPLES = 25


def test_no_input_makes_the_api_fail(world: World) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", world.app)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 9

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            for who in ("coach-a", "ana"):
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {world.tokens[who]}"},
                    checks=[not_a_server_error],
                )

        check()
