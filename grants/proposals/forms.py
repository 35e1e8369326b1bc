from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, RadioField, SelectField, ValidationError
from wtforms.validators import Optional

from grants.core.forms import (
    AmountField,
    BaseForm,
    CheckboxesField,
    DateInputField,
    EmailAddressField,
    LineField,
    MultilineField,
    TimeInputField,
    choices,
    required,
)

BUDGET_ROWS = 6
NETWORK_ITSELF = "network_itself"


def applicant_id(value):
    """An organisation id, or the marker for the network itself (created when it applies)."""
    if value in (None, ""):
        return None
    if value == NETWORK_ITSELF:
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BudgetRowForm(Form):
    """One row of the budget; a row left empty is ignored."""

    item = LineField(_l("Kostnad"), max_chars=200)
    amount = AmountField(_l("Belopp (kronor)"), optional=True)

    def validate_amount(self, field):
        if self.item.data and field.data is None and not field.errors:
            raise ValidationError(_l("Skriv beloppet för raden."))
        if field.data is not None and not self.item.data:
            raise ValidationError(_l("Skriv vad beloppet är till för."))


class ProposalForm(BaseForm):
    applicant = SelectField(
        _l("Sökande organisation"),
        coerce=applicant_id,
        validate_choice=False,
        validators=[required(_l("Välj vilken organisation som söker."))],
    )
    title = LineField(
        _l("Aktivitetens namn"), [required(_l("Ge aktiviteten ett namn."))], max_chars=200
    )
    summary = MultilineField(
        _l("Kort beskrivning"),
        [required(_l("Beskriv aktiviteten kort."))],
        max_chars=3000,
        description=_l("Vad ska ni göra, för vem, när och var? Högst 3 000 tecken."),
    )
    criteria = CheckboxesField(
        _l("Vilka av nätverkets kriterier uppfyller aktiviteten?"),
        coerce=int,
        validate_choice=False,
        description=_l("Välj minst ett."),
    )
    planned_start = DateInputField(
        _l("Aktiviteten börjar"), [required(_l("Skriv när aktiviteten börjar."))]
    )
    planned_end = DateInputField(
        _l("Aktiviteten slutar"), [required(_l("Skriv när aktiviteten slutar."))]
    )
    requested = AmountField(
        _l("Sökt belopp (kronor)"), description=_l("Till exempel 12 500 eller 12 500,50.")
    )
    budget = FieldList(FormField(BudgetRowForm), min_entries=BUDGET_ROWS, max_entries=BUDGET_ROWS)
    co_applicants = CheckboxesField(
        _l("Medsökande organisationer"),
        coerce=int,
        validate_choice=False,
        description=_l(
            "Andra medlemsorganisationer som gör aktiviteten tillsammans med er. Frivilligt, "
            "utom för en kommunal verksamhet: den söker tillsammans med minst en förening "
            "eller ett nätverk i ideell sektor."
        ),
    )
    contact_name = LineField(_l("Kontaktperson"), [required(_l("Skriv kontaktpersonens namn."))])
    contact_email = EmailAddressField(_l("Kontaktpersonens e-postadress"))
    contact_phone = LineField(
        _l("Telefon (frivilligt)"),
        max_chars=40,
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )

    def budget_rows(self) -> list[tuple[str, int]]:
        return [
            (row.item.data, row.amount.data)
            for row in self.budget
            if row.item.data and row.amount.data is not None
        ]


class ArrivalForm(ProposalForm):
    """The coordinator's form: the proposal plus how and when it arrived."""

    source = RadioField(
        _l("Hur kom förslaget in?"),
        choices=choices(
            [
                ("email", _l("Med e-post mellan två nätverksträffar")),
                ("meeting", _l("På en nätverksträff")),
            ]
        ),
        validators=[required(_l("Välj hur förslaget kom in."))],
    )
    received_date = DateInputField(_l("Dag då e-posten kom"), [Optional()])
    received_time = TimeInputField(_l("Klockslag då e-posten kom"), [Optional()])
    email_text = MultilineField(
        _l("E-postmeddelandets text"),
        max_chars=20000,
        description=_l("Klistra in hela meddelandet. Det sparas med förslaget."),
    )
    raised_at_meeting = SelectField(
        _l("Nätverksträffen där förslaget togs upp"),
        coerce=lambda v: int(v) if v else None,
        validate_choice=False,
        validators=[Optional()],
    )


class MoveForm(BaseForm):
    meeting = SelectField(
        _l("Flytta till mötet"),
        coerce=int,
        validate_choice=False,
        validators=[required(_l("Välj ett möte."))],
    )
    reason = MultilineField(
        _l("Varför flyttas förslaget?"),
        [required(_l("Skriv varför förslaget flyttas."))],
        max_chars=2000,
    )
