"""The editable header of a document (number, date, signer, "Kính gửi", "Nơi nhận")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tieuchi.evaluation.selection import parse_day
from tieuchi.reports.request import DocumentHeader


class HeaderForm(forms.Form):
    """One per kind on the report page (prefixed by the kind's slug), prefilled with defaults."""

    number = forms.CharField(
        label=_("Số văn bản"),
        required=False,
        max_length=10,
        help_text=_("Để trống để ghi số bằng tay sau khi in."),
    )
    date = forms.CharField(label=_("Ngày ban hành (dd/mm/yyyy)"), required=False, max_length=10)
    signer_authority = forms.CharField(label=_("Thẩm quyền ký"), required=False, max_length=80)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=80)
    signer_name = forms.CharField(label=_("Người ký"), required=False, max_length=150)
    addressees = forms.CharField(
        label=_("Kính gửi (mỗi dòng một nơi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and not number.isdigit():
            raise forms.ValidationError(_("Số văn bản chỉ gồm chữ số, ví dụ 125."))
        return number

    def clean_date(self):
        text = self.cleaned_data["date"].strip()
        if not text:
            return ""  # the date is left blank in the document, to be written by hand
        day = parse_day(text)
        if day is None:
            raise forms.ValidationError(
                _("Ngày “%(text)s” không hợp lệ; ghi theo dạng dd/mm/yyyy.") % {"text": text}
            )
        return day


def initial_from(header: DocumentHeader) -> dict:
    return {
        "number": header.number,
        "date": header.date.strftime("%d/%m/%Y") if header.date else "",
        "signer_authority": header.signer_authority,
        "signer_position": header.signer_position,
        "signer_name": header.signer_name,
        "addressees": "\n".join(header.addressees),
        "recipients": "\n".join(header.recipients),
    }
