"""A unit that moves under another parent carries everything below it along (scope depends on paths)."""

import pytest

from tieuchi.orgs.models import AdminUnit


@pytest.mark.django_db
def test_moving_a_ward_moves_its_tdps_paths():
    ward = AdminUnit.objects.get(official_code="00121")
    tdp = AdminUnit.objects.get(official_code="00121-TDP05")
    hanoi = AdminUnit.objects.get(official_code="01")
    ward.parent = hanoi
    ward.save()
    tdp.refresh_from_db()
    assert tdp.path == f"{hanoi.path}{ward.pk}/{tdp.pk}/"
