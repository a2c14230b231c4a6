"""Forms of the entry pages: one row of figures, a workflow move, a reminder."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tieuchi.collection.numbers import NumberError, parse_number

BOOLEAN_CHOICES = [("", "—"), ("1", gettext_lazy("Đạt")), ("0", gettext_lazy("Chưa đạt"))]


class RowForm(forms.Form):
    """The inputs of one row, read the Vietnamese way ("87,5", "1.234"). Which of them count
    depends on the measure's input mode; the others are ignored."""

    numerator = forms.CharField(required=False, max_length=40)
    denominator = forms.CharField(required=False, max_length=40)
    value = forms.CharField(required=False, max_length=40)
    boolean = forms.ChoiceField(required=False, choices=BOOLEAN_CHOICES)
    level = forms.CharField(required=False, max_length=60)
    version = forms.IntegerField(required=False, min_value=0)
    confirm = forms.BooleanField(required=False)

    def __init__(self, *args, mode: str, scale=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        self.scale = list(scale)

    def _number(self, name: str):
        try:
            return parse_number(self.cleaned_data.get(name))
        except NumberError as error:
            raise forms.ValidationError(str(error), code="not_a_number") from error

    def clean_numerator(self):
        return self._number("numerator") if self.mode == "ratio" else None

    def clean_denominator(self):
        return self._number("denominator") if self.mode == "ratio" else None

    def clean_value(self):
        return self._number("value") if self.mode == "value" else None

    def clean_boolean(self):
        raw = self.cleaned_data.get("boolean")
        return None if raw in ("", None) else raw == "1"

    def clean_level(self):
        level = (self.cleaned_data.get("level") or "").strip()
        if level and self.scale and level not in self.scale:
            raise forms.ValidationError(
                _("Mức '%(level)s' không có trong thang: %(scale)s.")
                % {"level": level, "scale": ", ".join(self.scale)},
                code="level",
            )
        return level

    @property
    def values(self) -> dict:
        """The parsed figure, under Observation's field names."""
        data = self.cleaned_data
        return {
            "numerator": data.get("numerator"),
            "denominator": data.get("denominator"),
            "value": data.get("value"),
            "boolean_value": data.get("boolean"),
            "level": data.get("level") or "",
        }

    @property
    def field_errors(self) -> dict[str, str]:
        return {name: " ".join(errors) for name, errors in self.errors.items()}


class TransitionForm(forms.Form):
    """A workflow move on the whole set: submit, return (with a reason), approve, reopen."""

    action = forms.ChoiceField(
        choices=[
            ("submit", "submit"),
            ("return", "return"),
            ("approve", "approve"),
            ("reopen", "reopen"),
        ]
    )
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    measures = forms.TypedMultipleChoiceField(required=False, coerce=int, choices=[])

    def __init__(self, *args, measure_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = list(measure_choices)
