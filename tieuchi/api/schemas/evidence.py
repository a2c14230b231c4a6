"""Shapes of evidence files (/api/v1/evidence): what a listed file says about itself."""

import datetime as dt

from ninja import Field, Schema


class EvidenceOut(Schema):
    id: int
    unit: str = Field(..., description="Mã đơn vị có minh chứng.")
    name: str = Field(..., description="Tên tệp gốc.")
    content_type: str = Field(..., description="Loại tệp, theo nội dung (image/jpeg, …).")
    size: int = Field(..., description="Dung lượng (byte).")
    sha256: str
    description: str
    captured_on: dt.date | None
    observation: int | None = Field(..., description="id số liệu (GET /values) nếu gắn số liệu.")
    catalog: str | None = Field(..., description="Bộ tiêu chí của tiêu chí được gắn.")
    criterion: str | None = Field(..., description="Mã tiêu chí, chỉ tiêu được gắn.")
    task_update: int | None = Field(..., description="id cập nhật tiến độ nhiệm vụ, nếu có.")
    uploaded_by: str | None = Field(..., description="Tên đăng nhập người tải lên.")
    uploaded_at: dt.datetime
    download: str = Field(..., description="Đường dẫn tải tệp (cùng mã truy cập).")

    @staticmethod
    def resolve_unit(e) -> str:
        return e.unit.official_code

    @staticmethod
    def resolve_name(e) -> str:
        return e.original_name

    @staticmethod
    def resolve_observation(e) -> int | None:
        return e.observation_id

    @staticmethod
    def resolve_catalog(e) -> str | None:
        return e.node.catalog.key if e.node_id else None

    @staticmethod
    def resolve_criterion(e) -> str | None:
        return e.node.code if e.node_id else None

    @staticmethod
    def resolve_task_update(e) -> int | None:
        return e.task_update_id

    @staticmethod
    def resolve_uploaded_by(e) -> str | None:
        return e.uploaded_by.username if e.uploaded_by_id else None

    @staticmethod
    def resolve_download(e) -> str:
        return f"/api/v1/evidence/{e.pk}/file"


class EvidenceSaved(EvidenceOut):
    created: bool = Field(
        ..., description="false: đúng tệp này đã gắn vào đúng mục này từ trước, không thêm lần nữa."
    )
