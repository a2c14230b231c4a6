"""Forms of the round and recognition pages: they parse input; the services decide what is allowed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tieuchi.catalog.models import Catalog
from tieuchi.evaluation.models import CouncilMember, Registration, Verdict
from tieuchi.evaluation.recognition.council import MemberSpec
from tieuchi.evaluation.recognition.rules import CHECKLIST
from tieuchi.evaluation.rounds.rules import ItemChange
from tieuchi.orgs.models import Organisation, Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def today():
    return timezone.localdate()


def item_changes(data, items) -> list[ItemChange]:
    """The rows of the items table as posted: verdict-<id>, remark-<id>, version-<id>."""
    changes = []
    for item in items:
        verdict = data.get(f"verdict-{item.pk}")
        if verdict is None:
            continue
        changes.append(
            ItemChange(
                item_id=item.pk,
                verdict=verdict,
                remark=data.get(f"remark-{item.pk}", ""),
                version=data.get(f"version-{item.pk}", ""),
            )
        )
    return changes


VERDICT_CHOICES = Verdict.choices


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú, lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectiveActionForm(forms.Form):
    description = forms.CharField(
        label=_("Nội dung cần khắc phục"), widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible_organisation = forms.ModelChoiceField(
        label=_("Đơn vị chịu trách nhiệm"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— theo kế hoạch —"),
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Lãnh đạo phụ trách"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— theo kế hoạch —"),
    )
    due_on = forms.DateField(label=_("Hạn khắc phục"), widget=DateInput())

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            self.fields["responsible_organisation"].queryset = Organisation.objects.filter(
                admin_unit=unit
            ).order_by("kind", "name")
            self.fields["responsible_person"].queryset = Person.objects.filter(
                organisation__admin_unit=unit
            ).order_by("id")


class CloseActionForm(forms.Form):
    note = forms.CharField(
        label=_("Kết quả khắc phục"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    closed_on = forms.DateField(label=_("Ngày"), widget=DateInput(), initial=today)


class RegistrationForm(forms.Form):
    catalog = forms.ModelChoiceField(
        label=_("Bộ tiêu chí"),
        queryset=Catalog.objects.filter(kind=Catalog.Kind.CRITERIA_SET).exclude(
            recognition_rule={}
        ),
        empty_label=None,
    )
    kind = forms.ChoiceField(label=_("Hình thức"), choices=Registration.Kind.choices)
    registered_on = forms.DateField(label=_("Ngày đăng ký"), widget=DateInput())
    registered_with = forms.CharField(label=_("Đăng ký với"), max_length=200)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SurveyForm(forms.Form):
    organiser = forms.CharField(label=_("Đơn vị tổ chức"), max_length=200)
    opened_on = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    closed_on = forms.DateField(label=_("Đến ngày"), widget=DateInput())
    respondents = forms.IntegerField(label=_("Số người được lấy ý kiến"), min_value=1)
    satisfied = forms.IntegerField(label=_("Số người hài lòng, đồng thuận"), min_value=0)
    method = forms.CharField(
        label=_("Phương pháp"), max_length=200, required=False, initial="HD 91/HD-MTTW-BTT"
    )


class ChecklistForm(forms.Form):
    done = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ đã có"),
        choices=CHECKLIST,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DatedNoteForm(NoteForm):
    on = forms.DateField(label=_("Ngày"), widget=DateInput(), initial=today)


ROLE_WORDS = {
    "chủ tịch": CouncilMember.Role.CHAIR,
    "phó chủ tịch": CouncilMember.Role.VICE_CHAIR,
    "thành viên": CouncilMember.Role.MEMBER,
    "thư ký": CouncilMember.Role.SECRETARY,
}


class CouncilForm(forms.Form):
    formed_on = forms.DateField(label=_("Ngày thành lập"), widget=DateInput())
    members = forms.CharField(
        label=_("Thành viên"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Mỗi dòng một người: Họ và tên | Chức vụ | Vai trò (Chủ tịch, Phó Chủ tịch, "
            "Thành viên, Thư ký)."
        ),
    )

    def clean_members(self) -> list[MemberSpec]:
        members = []
        for number, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(
                    _("Dòng %(n)s: cần ghi Họ và tên | Chức vụ."), params={"n": number}
                )
            word = (parts[2] if len(parts) > 2 else "").lower().removesuffix(" hội đồng")
            role = ROLE_WORDS.get(word or "thành viên")
            if role is None:
                raise forms.ValidationError(
                    _("Dòng %(n)s: vai trò “%(role)s” không rõ."),
                    params={"n": number, "role": parts[2]},
                )
            members.append(MemberSpec(name=parts[0], position=parts[1], role=role))
        return members


class MeetingForm(forms.Form):
    meeting_on = forms.DateField(label=_("Ngày họp"), widget=DateInput())
    present = forms.ModelMultipleChoiceField(
        label=_("Thành viên có mặt"),
        queryset=CouncilMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    votes_for = forms.IntegerField(label=_("Số phiếu đồng ý"), min_value=0)
    votes_against = forms.IntegerField(label=_("Số phiếu không đồng ý"), min_value=0)
    conclusion = forms.CharField(
        label=_("Kết luận"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        if council is not None:
            self.fields["present"].queryset = council.members.order_by("id")


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decided_on = forms.DateField(label=_("Ngày quyết định"), widget=DateInput())
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MaintenanceForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    checked_on = forms.DateField(label=_("Ngày kiểm tra"), widget=DateInput(), initial=today)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label=_("Ngày thu hồi"), widget=DateInput(), initial=today)
    note = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 2}))
