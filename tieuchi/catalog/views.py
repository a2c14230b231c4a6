"""Catalog pages: the list and one catalog as officials read it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render

from tieuchi.catalog.queries import catalog_dict, catalog_tree, catalogs_visible_to


def visible_catalog_or_404(user, key: str):
    catalog = catalogs_visible_to(user).filter(key=key).first()
    if catalog is None:
        raise Http404
    return catalog


@login_required
def catalog_list(request):
    return render(
        request,
        "catalog/list.html",
        {"nav": "catalogs", "catalogs": list(catalogs_visible_to(request.user))},
    )


@login_required
def catalog_detail(request, key: str):
    catalog = visible_catalog_or_404(request.user, key)
    tree = catalog_tree(catalog)
    leaves = sum(1 for root in tree for _ in root.leaves())
    context = {"nav": "catalogs", "catalog": catalog, "tree": tree, "leaf_count": leaves}
    return render(request, "catalog/detail.html", context)


@login_required
def catalog_json(request, key: str):
    return JsonResponse(
        catalog_dict(visible_catalog_or_404(request.user, key)),
        json_dumps_params={"ensure_ascii": False},
    )
