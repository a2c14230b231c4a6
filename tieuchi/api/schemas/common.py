"""Shapes every endpoint shares: bounded text parameters, JSON numbers, the pagination every
list uses, and the error body."""

from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase

Number = int | float
# No NUL characters: PostgreSQL cannot store or compare them.
NO_NUL = r"^[^\x00]*$"


def Text(max_length: int, *, min_length: int = 0, description: str = ""):  # noqa: N802
    """A string parameter: bounded, without NUL characters."""
    return Annotated[
        str,
        Field(
            min_length=min_length,
            max_length=max_length,
            pattern=NO_NUL,
            description=description or None,
        ),
    ]


Code = Text(80)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000


def number(value) -> Number | None:
    """A stored decimal as JSON: an integer when whole (90, not 90.0), else a decimal (87.5)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


# --- pagination -----------------------------------------------------------------------------------


class Pages(PaginationBase):
    """?page=1&page_size=50 → {"count": N, "page": 1, "page_size": 50, "items": […]}."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Trang, từ 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Số mục mỗi trang, 1–{MAX_PAGE_SIZE} (mặc định {DEFAULT_PAGE_SIZE}).",
        )

    class Output(Schema):
        count: int = Field(..., description="Tổng số mục (mọi trang).")
        page: int
        page_size: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request, **params):
        size, page = pagination.page_size, pagination.page
        offset = (page - 1) * size
        return {
            "count": self._items_count(queryset),
            "page": page,
            "page_size": size,
            "items": queryset[offset : offset + size],
        }


# --- errors ---------------------------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(..., description="Mã lỗi ổn định: validation_error, not_found, …")
    message: str = Field(..., description="Thông báo bằng tiếng Việt.")
    field: str | None = Field(None, description="Trường gây lỗi, ví dụ values[0].numerator.")
    current: dict[str, Any] | None = Field(
        None, description="Với conflict và locked: số liệu hiện có."
    )


class ErrorBody(ErrorDetail):
    details: list[ErrorDetail] | None = Field(
        None, description="Khi gửi nhiều số liệu: lỗi của từng số liệu."
    )


class ErrorOut(Schema):
    error: ErrorBody
