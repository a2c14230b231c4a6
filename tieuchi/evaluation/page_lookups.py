"""Objects the round and recognition pages look up from the URL, limited to what the user may see."""

from django.http import Http404

from tieuchi.orgs.models import AdminUnit


def visible_unit_or_404(request, code: str) -> AdminUnit:
    """The latest version (by `valid_from`) of the unit with this official code that the user may
    see; 404 when there is none."""
    unit = (
        AdminUnit.objects.visible_to(request.user)
        .filter(official_code=code)
        .order_by("-valid_from")
        .first()
    )
    if unit is None:
        raise Http404
    return unit
