"""The one JSON error shape of the public contract, and the handlers that produce it."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .store.errors import StoreBusy

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An expected failure that becomes `{"error": {"code", "message", "field"}}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


def error_response(error: ApiError, extra: dict[str, Any] | None = None) -> Response:
    response = jsonify({**(extra or {}), **error.body()})
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


RETRY = {"Retry-After": "1"}  # a moment: what the caller waited behind ends in milliseconds
RETRY_OUTAGE = {"Retry-After": "5"}


def code_for_reason(reason: str) -> str:
    """`"Request Header Fields Too Large"` → `request_header_fields_too_large`."""
    name = (reason or "error").lower()
    return "".join(ch if ch.isalnum() else "_" for ch in name).strip("_")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(exc: ApiError) -> Response:
        return error_response(exc)

    @app.errorhandler(StoreBusy)
    def handle_store_busy(_exc: StoreBusy) -> Response:
        return error_response(
            ApiError(503, "busy", "The database is busy with other writes; retry.", headers=RETRY)
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def handle_database_unavailable(exc: Exception) -> Response:
        # Refused, timed out, dropped or locked (store/db.py's timeouts): a moment's outage.
        logger.warning("database unavailable: %s", exc)
        return error_response(
            ApiError(
                503,
                "database_unavailable",
                "The database does not answer; retry shortly.",
                headers=RETRY_OUTAGE,
            )
        )

    @app.errorhandler(HTTPException)
    def handle_http_exception(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = exc.description or exc.name
        return error_response(ApiError(status, code_for_reason(exc.name), message))

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Response:
        # Never show a traceback to a caller; the log keeps it for the operator.
        logger.exception("unhandled error")
        return error_response(ApiError(500, "internal_error", "Something went wrong on our side."))
