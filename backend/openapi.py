"""The OpenAPI page. Routes read their bodies themselves (so errors keep API.md's order),
so their request bodies and the shared schemas are added to the generated document here."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, TypeAdapter

from backend.problems import PROBLEM_SCHEMA

REF = "#/components/schemas/{model}"
# Everything under /api/v1 needs a token except these (API.md "Public and customer").
PUBLIC_OPERATIONS = {("get", "/api/v1/stores/{store}"), ("post", "/api/v1/stores/{store}/orders")}
SECURITY_SCHEMES = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A staff token (admin, barista, display) or a customer's order token.",
    },
    "accessToken": {
        "type": "apiKey",
        "in": "query",
        "name": "access_token",
        "description": "The same token, for EventSource, which cannot send headers (streams only).",
    },
}
_bodies: dict[str, dict[str, Any]] = {}  # component name -> JSON schema (with $defs)


def body_doc(model: type[BaseModel] | tuple[str, TypeAdapter[Any]], required: bool = True) -> dict[str, Any]:
    """`openapi_extra` for a route whose JSON body is `model`."""
    if isinstance(model, tuple):
        name, adapter = model
        schema = adapter.json_schema(ref_template=REF)
    else:
        name, schema = model.__name__, model.model_json_schema(ref_template=REF)
    _bodies[name] = schema
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=name)}}},
        }
    }


def install_openapi(app: FastAPI, store_ids: list[str]) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas["Problem"] = PROBLEM_SCHEMA
        for name, schema in _bodies.items():
            schema = dict(schema)
            for def_name, definition in schema.pop("$defs", {}).items():
                schemas.setdefault(def_name, definition)
            schemas[name] = schema
        _name_the_stores(document, store_ids)
        _errors_are_problems(document)
        _declare_security(document)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _name_the_stores(document: dict[str, Any], store_ids: list[str]) -> None:
    """The `store` path parameter can only be one of the configured stores: say so."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") == "path" and parameter.get("name") == "store":
                    parameter["schema"] = {**parameter.get("schema", {}), "enum": store_ids}


def _declare_security(document: dict[str, Any]) -> None:
    """Say which operations need a token, so clients and fuzzers know (default: they do)."""
    document["components"]["securitySchemes"] = SECURITY_SCHEMES
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if not path.startswith("/api/v1/") or (method, path) in PUBLIC_OPERATIONS:
                continue
            schemes: list[dict[str, list[str]]] = [{"bearer": []}]
            if path.endswith("/stream"):
                schemes.append({"accessToken": []})
            operation["security"] = schemes


def _errors_are_problems(document: dict[str, Any]) -> None:
    """FastAPI declares its own 422 (`HTTPValidationError`, application/json) on routes with
    parameters; ours is problem+json like every other error."""
    problem = {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}}
    for operations in document["paths"].values():
        for operation in operations.values():
            invalid = operation.get("responses", {}).get("422")
            if invalid is not None and "application/json" in invalid.get("content", {}):
                invalid["content"] = problem
                invalid["description"] = "validation_error"
    for default in ("HTTPValidationError", "ValidationError"):
        document["components"]["schemas"].pop(default, None)
