"""The plan-row form: what a ward leader may correct after the plan was loaded."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tieuchi.orgs.models import Person


class PlanRowForm(forms.Form):
    solution = forms.CharField(
        label=_("Giải pháp thực hiện"), widget=forms.Textarea, required=False
    )
    lead_person = forms.ModelChoiceField(
        label=_("Lãnh đạo phụ trách"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— chưa phân công —"),
    )
    implementing = forms.CharField(
        label=_("Đơn vị/cá nhân thực hiện"),
        required=False,
        max_length=500,
        help_text=_("Nhiều đơn vị cách nhau bằng dấu chấm phẩy."),
    )
    coordinating = forms.CharField(
        label=_("Đơn vị/cá nhân phối hợp"),
        required=False,
        max_length=500,
        help_text=_("Nhiều đơn vị cách nhau bằng dấu chấm phẩy."),
    )
    deadline_text = forms.CharField(
        label=_("Thời gian hoàn thành"),
        required=False,
        max_length=200,
        help_text=_(
            "Viết như trong văn bản: Thường xuyên, Hàng tuần, Tháng 10/2023, Năm học 2022 - 2023…"
        ),
    )
    note = forms.CharField(
        label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["lead_person"].queryset = Person.objects.filter(
                organisation__admin_unit=unit
            ).order_by("id")
