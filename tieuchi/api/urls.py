"""JSON API /api/v1 (django-ninja), the docs' assets, and JSON 404s for unknown API paths."""

from pathlib import Path

import ninja
from django.http import FileResponse, Http404, JsonResponse
from django.urls import path, re_path

from tieuchi.api.api import api

ASSETS = Path(ninja.__file__).parent / "static" / "ninja"
ASSET_TYPES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}


def docs_asset(request, name: str):
    """Swagger UI's files from the installed django-ninja: the docs need no CDN."""
    if name not in ASSET_TYPES:
        raise Http404
    response = FileResponse((ASSETS / name).open("rb"), content_type=ASSET_TYPES[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response


def unknown(request, rest: str = ""):
    return JsonResponse(
        {
            "error": {
                "code": "not_found",
                "message": "Không có địa chỉ API này; xem /api/v1/openapi.json.",
                "field": None,
            }
        },
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )


urlpatterns = [
    path("docs/assets/<str:name>", docs_asset, name="api_docs_asset"),
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", unknown),
]
