"""The JSON API /api/v1 (django-ninja): personal-token auth, JSON errors, one router per resource.

The OpenAPI schema is public at /api/v1/openapi.json; the interactive docs at /api/v1/docs are
for logged-in users and load their scripts from this server (no CDN).
"""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase
from ninja.renderers import JSONRenderer

from tieuchi.api import errors
from tieuchi.api.auth import ApiTokenAuth
from tieuchi.api.routers_aggregates import router as aggregates
from tieuchi.api.routers_catalogs import router as catalogs
from tieuchi.api.routers_evidence import router as evidence
from tieuchi.api.routers_plans import router as plans
from tieuchi.api.routers_results import router as results
from tieuchi.api.routers_units import router as units
from tieuchi.api.routers_values import router as values

DESCRIPTION = """\
API của tieuchi: đọc đơn vị, bộ tiêu chí, kế hoạch, số liệu, kết quả đánh giá và gửi số liệu,
trong đúng phạm vi quyền của người sở hữu mã truy cập. Xác thực: tiêu đề
`Authorization: Bearer <mã>` (tạo mã ở trang /account/tokens/ hoặc `tieuchi create_token`).
Lỗi: `{"error": {"code", "message", "field"}}`. Tài liệu đầy đủ: docs/api.md.
"""


class Renderer(JSONRenderer):
    """UTF-8 JSON with Vietnamese letters as they are, not \\u-escaped."""

    json_dumps_params = {"ensure_ascii": False}


class LoggedInSwagger(DocsBase):
    """Swagger UI for logged-in users only, its assets served by tieuchi.api.urls."""

    def render_page(self, request, api, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "api/docs.html",
            {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)},
        )


api = NinjaAPI(
    title="tieuchi API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=ApiTokenAuth(),
    openapi_url="/openapi.json",
    docs=LoggedInSwagger(),
    docs_url="/docs",
    renderer=Renderer(),
)
errors.install(api)
for router in (units, catalogs, plans, values, results, aggregates, evidence):
    api.add_router("", router)
