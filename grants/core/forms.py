"""Form fields that clean and check what people type, with Swedish messages."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from grants.core.email_address import normalise_email
from grants.core.errors import DomainError
from grants.core.money import format_amount_input, parse_amount
from grants.core.orgnr import normalise_orgnr
from grants.core.text import clean_line, clean_multiline


class BaseForm(FlaskForm):
    """Every form: CSRF on, and a way to tie a ``DomainError`` to its field."""

    def add_domain_error(self, error: DomainError) -> None:
        field = getattr(self, error.field, None) if error.field else None
        if field is not None:
            field.errors = [*list(field.errors or []), str(error.message)]
        else:
            self.form_errors.append(str(error.message))

    @property
    def all_errors(self) -> list[tuple[str | None, str]]:
        """(field id or None, message) pairs, for the error summary at the top."""
        pairs: list[tuple[str | None, str]] = [(None, str(m)) for m in self.form_errors]
        for field in self:
            pairs.extend(_field_errors(field))
        return pairs


GROUPED_FIELDS = ("RadioField", "CheckboxesField")


def _field_errors(field) -> list[tuple[str, str]]:
    """A field's messages with the id a link should lead to; rows of a list included."""
    if field.type == "FieldList":
        pairs = [(field.id, str(m)) for m in field.errors if isinstance(m, str)]
        for entry in field.entries:
            if hasattr(entry, "form"):
                for sub in entry.form:
                    pairs.extend(_field_errors(sub))
        return pairs
    # A group of radio buttons or tick boxes is reached through its first box.
    target = f"{field.id}-0" if field.type in GROUPED_FIELDS else field.id
    return [(target, str(message)) for message in field.errors or []]


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def required(message=None):
    return InputRequired(message=message or _l("Fyll i fältet."))


def max_length(limit: int):
    return Length(max=limit, message=_l("Högst %(max)d tecken.", max=limit))


class _CleanedText:
    """Text cleaned before validation; a required field of only spaces counts as empty."""

    def pre_validate(self, form):
        required_validators = [v for v in self.validators if isinstance(v, InputRequired)]
        if required_validators and not self.data:
            raise StopValidation(str(required_validators[0].message or _l("Fyll i fältet.")))


class LineField(_CleanedText, StringField):
    """One line of text, cleaned (NFC, no control characters, single spaces)."""

    def __init__(self, label=None, validators=None, *, max_chars: int = 200, **kwargs):
        validators = [*list(validators or []), max_length(max_chars)]
        super().__init__(label, validators, filters=[clean_line], **kwargs)


class MultilineField(_CleanedText, TextAreaField):
    """Free text, cleaned the same way but keeping line breaks."""

    def __init__(self, label=None, validators=None, *, max_chars: int = 5000, **kwargs):
        validators = [*list(validators or []), max_length(max_chars)]
        super().__init__(label, validators, filters=[clean_multiline], **kwargs)


class EmailAddressField(StringField):
    """An e-mail address: one address, ASCII before the @, stored in lower case."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, filters=[lambda v: (v or "").strip()], **kwargs)
        self.render_kw = {"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}

    def pre_validate(self, form):
        if not self.data:
            if any(isinstance(v, Optional) for v in self.validators):
                self.data = ""
                return
            raise StopValidation(_l("Ange en e-postadress, till exempel namn@example.se."))
        try:
            self.data = normalise_email(self.data)
        except DomainError as error:
            raise StopValidation(str(error.message)) from error


class OrgnrField(StringField):
    """An organisation number, stored as ``NNNNNN-NNNN``."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.render_kw = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}

    def pre_validate(self, form):
        try:
            self.data = normalise_orgnr(self.data)
        except DomainError as error:
            raise StopValidation(str(error.message)) from error


class AmountField(StringField):
    """An amount in kronor as people type it; ``data`` is öre (int) or None."""

    def __init__(self, label=None, validators=None, *, allow_zero=False, optional=False, **kw):
        super().__init__(label, validators, **kw)
        self.allow_zero = allow_zero
        self.optional = optional
        self.render_kw = {"inputmode": "decimal", "autocomplete": "off"}

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0] if valuelist else ""
        self.data = None

    def process_data(self, value):
        self.data = value
        self.raw_text = format_amount_input(value) if value is not None else ""

    def _value(self):
        return self.raw_text

    def pre_validate(self, form):
        if self.optional and not (self.raw_text or "").strip():
            self.data = None
            return
        try:
            self.data = parse_amount(self.raw_text, allow_zero=self.allow_zero)
        except DomainError as error:
            raise StopValidation(str(error.message)) from error


class DateInputField(DateField):
    """A date as ``ÅÅÅÅ-MM-DD`` (the browser's date picker sends the same)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)
        self.render_kw = {"type": "date", **(self.render_kw or {})}

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_data = [raw]
        if not raw:
            self.data = None
            return
        try:
            self.data = datetime.strptime(raw, "%Y-%m-%d").date()
        except ValueError as error:
            self.data = None
            raise ValueError(
                str(_l("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-05-02."))
            ) from error

    def pre_validate(self, form):
        if self.data is None and not self.process_errors:
            required_validators = [v for v in self.validators if isinstance(v, InputRequired)]
            if required_validators:
                raise StopValidation(str(required_validators[0].message or _l("Fyll i fältet.")))


class TimeInputField(StringField):
    """A time of day as ``HH:MM`` (24-hour clock)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.render_kw = {"type": "time", **(self.render_kw or {})}

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_data = [raw]
        self.data = None
        if raw:
            try:
                self.data = datetime.strptime(raw[:5], "%H:%M").time()
            except ValueError as error:
                raise ValueError(str(_l("Skriv tiden som TT:MM, till exempel 16:30."))) from error

    def _value(self):
        return self.data.strftime("%H:%M") if self.data else (self.raw_data or [""])[0]


class CheckboxesField(SelectMultipleField):
    """Several choices as tick boxes (easier on a phone than a multiple select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
