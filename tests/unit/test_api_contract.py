"""The API contract as a client generator reads it: app.openapi() declares, on every route,
the error answers that route can give, each with the one error model {detail, code}.

The rules are read off the schema alone (not off the code that writes it), so a router
added later is checked the moment it is included in backend/api/main.py.
"""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.security import OAuth2PasswordBearer

from backend.api.main import create_app
from backend.models import TaskState
from backend.services.exports import ExportFormat

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
ERROR_MODEL = "#/components/schemas/ErrorOut"
VALIDATION_MODEL = "#/components/schemas/ValidationErrorOut"

SCHEMA = create_app().openapi()
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in SCHEMA["paths"].items()
    for method, operation in item.items()
    if method in HTTP_METHODS
]
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]
PlainToken = Annotated[str, Depends(OAuth2PasswordBearer("token"))]


def required_errors(operation: dict[str, Any], method: str = "GET") -> dict[str, str]:
    """The statuses ``operation`` must declare, each with the reason, from its shape."""
    parameters = operation.get("parameters", [])
    body = operation.get("requestBody")
    required = {}
    if operation.get("security"):
        required["401"] = "it takes a bearer token"
        required["503"] = "it reads the token's user from the database"
        if method in {"POST", "PUT", "PATCH", "DELETE"}:
            required["403"] = "a cookie-authenticated change needs its CSRF token"
    if parameters or body:
        required["422"] = "it takes input"
    if any(parameter["in"] == "path" for parameter in parameters):
        required["404"] = "it names a resource in its path"
    if body and "application/json" in body.get("content", {}):
        required["400"] = "its JSON body may not even parse"
    if body:
        required["413"] = "it takes a body, which has a size limit"
    content = (body or {}).get("content", {})
    if "multipart/form-data" in content:
        required["415"] = "it takes a file upload"
    if any(parameter["name"] == "Idempotency-Key" for parameter in parameters):
        required.update({"409": "it submits work (Idempotency-Key in use)",
                         "429": "it submits work (active-task limit)",
                         "503": "it submits work (task queue away)"})
    return required


def test_the_schema_has_routes_to_check():
    assert len(OPERATIONS) >= 25
    assert ("POST", "/upload_pdf_async") in {(method, path) for method, path, _ in OPERATIONS}


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_route_declares_the_errors_its_shape_implies(method, path, operation):
    declared = set(operation["responses"])
    missing = {status: why for status, why in required_errors(operation, method).items()
               if status not in declared}
    assert not missing, f"{method} {path} does not declare {missing}"


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_error_response_uses_the_error_model(method, path, operation):
    for status, response in operation["responses"].items():
        if int(status) < 400:
            continue
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        expected = VALIDATION_MODEL if status == "422" else ERROR_MODEL
        assert schema.get("$ref") == expected, f"{method} {path} {status}: {response}"
        assert response.get("description"), f"{method} {path} {status} has no description"


def test_the_error_model_is_detail_and_code():
    schemas = SCHEMA["components"]["schemas"]
    error = schemas["ErrorOut"]
    assert set(error["required"]) == {"detail", "code"}
    assert error["properties"]["detail"]["type"] == error["properties"]["code"]["type"] == "string"
    validation = schemas["ValidationErrorOut"]
    assert {"detail", "code", "errors"} <= set(validation["properties"])
    # FastAPI's own 422 model is not what the API sends, so it is not in the schema.
    assert "HTTPValidationError" not in schemas


def test_task_status_is_an_enum():
    schemas = SCHEMA["components"]["schemas"]
    assert schemas["TaskState"]["enum"] == [state.value for state in TaskState]
    for model in ("TaskOut", "TaskResultOut"):
        assert schemas[model]["properties"]["status"] == {"$ref": "#/components/schemas/TaskState"}
    assert schemas["TaskSubmitted"]["properties"]["status"]["const"] == "submitted"


def _success(method: str, path: str) -> dict[str, Any]:
    responses = SCHEMA["paths"][path][method]["responses"]
    return next(response for status, response in responses.items() if status.startswith("2"))


def test_the_event_stream_and_downloads_declare_their_media_types():
    assert "text/event-stream" in _success("get", "/tasks/{task_id}/events")["content"]
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in (
        _success("get", "/reports/{report_id}/download")["content"])
    for path in ("/statements/{statement_id}/export", "/transactions/export"):
        media_types = set(_success("get", path)["content"])
        assert {fmt.media_type for fmt in ExportFormat} <= media_types, (path, media_types)


@pytest.mark.parametrize("model", ["RegisterIn", "RuleIn", "BulkCategorizeIn", "ReportIn", "CategoryIn"])
def test_the_main_request_bodies_have_examples(model):
    schema = SCHEMA["components"]["schemas"][model]
    examples = schema.get("examples") or [
        example for prop in schema["properties"].values() for example in prop.get("examples", [])
    ]
    assert examples, f"{model} has no example"


def test_the_check_catches_a_route_without_its_errors():
    """A plain FastAPI app (no install_error_handlers) fails the rules above."""
    plain = FastAPI()

    @plain.get("/things/{thing_id}")
    def read_thing(thing_id: int, token: PlainToken) -> int:
        return thing_id

    operation = plain.openapi()["paths"]["/things/{thing_id}"]["get"]
    missing = set(required_errors(operation)) - set(operation["responses"])
    assert missing == {"401", "404", "503"}
    assert operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"] != VALIDATION_MODEL
