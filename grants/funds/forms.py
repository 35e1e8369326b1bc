from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FileField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
)
from wtforms.validators import NumberRange, Optional

from grants.core.forms import (
    AmountField,
    BaseForm,
    DateInputField,
    LineField,
    MultilineField,
    choices,
)
from grants.core.forms import required as required_field
from grants.core.labels import lazy_label
from grants.funds.models import BudgetLineKind


class PeriodForm(BaseForm):
    funder = LineField(
        _l("Finansiär"),
        [required_field(_l("Skriv vem pengarna kommer från."))],
        description=_l("Till exempel Hälsopolitiska rådet."),
    )
    starts_on = DateInputField(_l("Perioden börjar"), [required_field(_l("Skriv startdatum."))])
    ends_on = DateInputField(_l("Perioden slutar"), [required_field(_l("Skriv slutdatum."))])
    budget_grants = AmountField(_l("Sökbar pott för aktiviteter (kronor)"), allow_zero=True)
    budget_meetings = AmountField(_l("Nätverkets träffar (kronor)"), allow_zero=True)
    budget_training = AmountField(_l("Fortbildning (kronor)"), allow_zero=True)
    note = MultilineField(_l("Anteckning"), max_chars=2000)


class PayoutForm(BaseForm):
    amount = AmountField(_l("Belopp (kronor)"))
    planned_on = DateInputField(
        _l("Planerad utbetalningsdag"), [required_field(_l("Skriv när pengarna ska betalas ut."))]
    )
    note = LineField(
        _l("Anteckning"), max_chars=500, description=_l("Till exempel: första delen, 50 %.")
    )


class PaidForm(BaseForm):
    paid_on = DateInputField(_l("Betald den"), [required_field(_l("Skriv betaldagen."))])
    accounting_ref = LineField(
        _l("Verifikationsnummer"),
        [required_field(_l("Skriv verifikationsnumret från ekonomisystemet."))],
        max_chars=60,
    )


class CancelPayoutForm(BaseForm):
    reason = LineField(
        _l("Varför makuleras utbetalningen?"),
        [required_field(_l("Skriv varför utbetalningen makuleras."))],
        max_chars=500,
    )


class RefundForm(BaseForm):
    amount = AmountField(_l("Återbetalt belopp (kronor)"))
    received_on = DateInputField(_l("Mottaget den"), [required_field(_l("Skriv datumet."))])
    reference = LineField(
        _l("Referens"),
        [required_field(_l("Skriv en referens."))],
        max_chars=60,
        description=_l("Till exempel verifikationsnumret."),
    )
    note = LineField(_l("Anteckning"), max_chars=500)


class WithdrawGrantForm(BaseForm):
    reason = MultilineField(
        _l("Varför återkallas bidraget?"),
        [required_field(_l("Skriv varför bidraget återkallas."))],
        max_chars=2000,
        description=_l("Till exempel beslut på möte 5, eller att organisationen avstår."),
    )


class ReportForm(BaseForm):
    done = MultilineField(
        _l("Vad gjorde ni?"), [required_field(_l("Beskriv vad ni gjorde."))], max_chars=5000
    )
    participants = IntegerField(
        _l("Antal deltagare"),
        [
            required_field(_l("Skriv ungefär hur många som deltog.")),
            NumberRange(min=0, max=1_000_000, message=_l("Skriv ett antal, 0 eller mer.")),
        ],
    )
    contribution = MultilineField(
        _l("Hur bidrog aktiviteten till kriterierna?"),
        [required_field(_l("Skriv hur aktiviteten bidrog till integration."))],
        max_chars=5000,
    )
    unused = AmountField(
        _l("Oanvänt belopp (kronor)"),
        allow_zero=True,
        optional=True,
        description=_l("Pengar som inte användes betalas tillbaka."),
    )
    attachments = MultipleFileField(
        _l("Kvitton och bilder (PDF, JPEG eller PNG, högst 10 MB per fil, högst tre)")
    )


class ReviewForm(BaseForm):
    message = MultilineField(
        _l("Meddelande till organisationen"),
        max_chars=3000,
        description=_l("Behövs om ni ber om en komplettering."),
    )
    # Shown only for a report that came in before the activity's planned end.
    early_seen = BooleanField(
        _l("Jag har sett att redovisningen lämnades in innan aktiviteten var klar enligt planen")
    )


class ExpenseForm(BaseForm):
    line = RadioField(
        _l("Budgetrad"),
        choices=choices(
            (kind.value, lazy_label(kind))
            for kind in (BudgetLineKind.MEETINGS, BudgetLineKind.TRAINING)
        ),
        validators=[required_field(_l("Välj budgetrad."))],
    )
    spent_on = DateInputField(
        _l("Datum"),
        [required_field(_l("Skriv datumet på kvittot eller fakturan."))],
    )
    amount = AmountField(_l("Belopp (kronor)"))
    payee = LineField(
        _l("Betalas till"),
        [required_field(_l("Skriv vem som får pengarna."))],
        max_chars=200,
        description=_l("Till exempel lokaluthyraren, kaféet eller föreläsaren."),
    )
    payee_organisation = SelectField(
        _l("Är mottagaren en medlemsorganisation?"),
        coerce=lambda v: int(v) if v else None,
        validate_choice=False,
        validators=[Optional()],
        description=_l("Den som representerar mottagaren kan inte attestera utgiften."),
    )
    note = LineField(
        _l("Vad gällde det?"),
        max_chars=500,
        description=_l("Till exempel: fika till möte 4, lokalhyra för utbildningsdagen."),
    )
    receipt = FileField(_l("Kvitto eller faktura (PDF, JPEG eller PNG, högst 10 MB)"))
