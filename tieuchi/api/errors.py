"""Errors of the API: one JSON shape, a stable code, a Vietnamese message, the field at fault.

    {"error": {"code": "validation_error", "message": "…", "field": "values[0].numerator"}}

Codes never change meaning; new ones may be added. The HTTP status follows from the code.
"""

import logging
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tieuchi.core.formatting import vn_number

logger = logging.getLogger("tieuchi.api")

STATUS = {
    "bad_request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "validation_error": 422,
    "locked": 423,
    "unusual": 422,
    "server_error": 500,
}
# When several figures of one request fail, the response takes the status of the first code here.
PRIORITY = (
    "bad_request",
    "forbidden",
    "not_found",
    "validation_error",
    "locked",
    "conflict",
    "unusual",
)


class ApiError(Exception):
    """Raised by the routers; turned into the JSON error body by `install`."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        details: list[dict] | None = None,
        **extra,
    ):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field
        self.details, self.extra = details, extra
        self.status = STATUS[code]

    def body(self) -> dict:
        error = {"code": self.code, "message": self.message, "field": self.field, **self.extra}
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


def detail(code: str, message: str, field: str | None = None, **extra) -> dict:
    """One problem among several (POST /values reports every figure's problem at once)."""
    return {"code": code, "message": message, "field": field, **extra}


def from_details(details: list[dict]) -> ApiError:
    """One error for a list of problems: the most important one leads, all are listed."""
    codes = [item["code"] for item in details]
    lead_code = next((code for code in PRIORITY if code in codes), codes[0])
    lead = next(item for item in details if item["code"] == lead_code)
    extra = {key: value for key, value in lead.items() if key not in {"code", "message", "field"}}
    message = lead["message"]
    if len(details) > 1:
        message = f"{message} (và {len(details) - 1} lỗi khác, xem details)"
    return ApiError(lead_code, message, field=lead["field"], details=details, **extra)


# --- request validation (pydantic) in Vietnamese ------------------------------------------------


def _n(value) -> str:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return vn_number(value)
    return str(value)


def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    simple = {
        "missing": "Thiếu trường bắt buộc.",
        "extra_forbidden": "Trường này không được nhận; xem tài liệu API.",
        "string_type": "Phải là một chuỗi ký tự.",
        "int_type": "Phải là số nguyên.",
        "int_parsing": "Phải là số nguyên.",
        "int_from_float": "Phải là số nguyên.",
        "float_type": "Phải là số.",
        "float_parsing": "Phải là số.",
        "decimal_type": "Phải là số (dấu chấm thập phân, ví dụ 87.5).",
        "decimal_parsing": "Phải là số (dấu chấm thập phân, ví dụ 87.5).",
        "finite_number": "Phải là một số hữu hạn.",
        "bool_type": "Phải là true hoặc false.",
        "bool_parsing": "Phải là true hoặc false.",
        "list_type": "Phải là một danh sách.",
        "dict_type": "Phải là một đối tượng JSON.",
        "model_type": "Phải là một đối tượng JSON.",
        "model_attributes_type": "Phải là một đối tượng JSON.",
        "json_invalid": "Nội dung gửi lên không phải JSON hợp lệ.",
        "json_type": "Nội dung gửi lên không phải JSON hợp lệ.",
        "date_type": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD.",
        "date_parsing": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD.",
        "date_from_datetime_parsing": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD.",
        "date_from_datetime_inexact": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD.",
        "datetime_from_date_parsing": "Ngày không hợp lệ; dùng dạng YYYY-MM-DD.",
        "date_future": "Ngày không hợp lệ.",
        "date_past": "Ngày không hợp lệ.",
    }
    if kind in simple:
        return simple[kind]
    formats = {
        "greater_than": "Phải lớn hơn {gt}.",
        "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
        "less_than": "Phải nhỏ hơn {lt}.",
        "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
        "string_too_short": "Phải có ít nhất {min_length} ký tự.",
        "string_too_long": "Dài quá {max_length} ký tự.",
        "too_short": "Phải có ít nhất {min_length} mục.",
        "too_long": "Nhiều nhất {max_length} mục.",
        "decimal_max_digits": "Nhiều nhất {max_digits} chữ số.",
        "decimal_max_places": "Nhiều nhất {decimal_places} chữ số sau dấu thập phân.",
        "decimal_whole_digits": "Nhiều nhất {whole_digits} chữ số phần nguyên.",
        "literal_error": "Giá trị không hợp lệ; chọn một trong: {expected}.",
        "enum": "Giá trị không hợp lệ; chọn một trong: {expected}.",
        "string_pattern_mismatch": "Không đúng dạng yêu cầu.",
    }
    if kind in formats:
        try:
            return formats[kind].format(**{key: _n(value) for key, value in ctx.items()})
        except (KeyError, IndexError):
            pass
    return "Giá trị không hợp lệ."


def field_path(loc) -> str | None:
    """("body", "payload", "values", 0, "numerator") → "values[0].numerator"; query → its name."""
    parts = list(loc or ())
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or None


def _validation_details(exc: ValidationError) -> list[dict]:
    details = []
    for error in exc.errors:
        if not isinstance(error, dict) or "loc" not in error:
            details.append(detail("validation_error", "Giá trị không hợp lệ."))
            continue
        details.append(detail("validation_error", _message(error), field_path(error["loc"])))
    return details or [detail("validation_error", "Yêu cầu không hợp lệ.")]


# --- handlers -------------------------------------------------------------------------------------


def install(api) -> None:
    """Every error the API can give goes out in the one JSON shape."""

    def respond(request: HttpRequest, error: ApiError) -> HttpResponse:
        response = api.create_response(request, error.body(), status=error.status)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="tieuchi"'
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        details = _validation_details(exc)
        if len(details) == 1:
            lead = details[0]
            return respond(
                request, ApiError("validation_error", lead["message"], field=lead["field"])
            )
        return respond(request, from_details(details))

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        if request.headers.get("Authorization"):
            message = "Mã truy cập API không hợp lệ hoặc đã bị thu hồi."
        else:
            message = "Cần mã truy cập API: gửi tiêu đề Authorization: Bearer <mã>."
        return respond(request, ApiError("unauthorized", message))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400:  # the only one django-ninja raises itself: unreadable body
            error = ApiError("bad_request", "Nội dung gửi lên không đọc được (cần JSON UTF-8).")
        else:
            code = {v: k for k, v in STATUS.items()}.get(exc.status_code, "bad_request")
            error = ApiError(code, str(exc))
            error.status = exc.status_code
        return respond(request, error)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, ApiError("not_found", "Không tìm thấy (hoặc bạn không được xem)."))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(
            request,
            ApiError("server_error", "Lỗi hệ thống; đã ghi lại để kiểm tra. Hãy thử lại sau."),
        )
