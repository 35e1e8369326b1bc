from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from grants.core.forms import (
    AmountField,
    BaseForm,
    EmailAddressField,
    LineField,
    MultilineField,
    choices,
)
from grants.core.forms import required as required_field
from grants.networks.models import TieRule


def _int_message():
    return _l("Skriv ett heltal, till exempel 21.")


class SettingsForm(BaseForm):
    name = LineField(_l("Nätverkets namn"), [required_field()])
    municipality = LineField(_l("Kommun"), [required_field()], max_chars=120)
    project_name = LineField(_l("Projektets namn"), max_chars=200)
    about = MultilineField(
        _l("Om nätverket"),
        max_chars=5000,
        description=_l("Visas på den offentliga sidan. Du kan använda Markdown."),
    )
    contact_email = EmailAddressField(_l("Nätverkets e-postadress"), [Optional()])
    public = BooleanField(_l("Visa nätverkets sida för allmänheten"))
    quorum_min_orgs = IntegerField(
        _l("Minsta antal närvarande organisationer för beslut (beslutförhet)"),
        [Optional(), NumberRange(min=1, max=500, message=_l("Ett tal mellan 1 och 500."))],
        description=_l("Lämna tomt om nätverket inte har någon sådan regel."),
    )
    tie_rule = SelectField(
        _l("Vid lika röstetal"),
        choices=choices(
            [
                (TieRule.REJECTED.value, _l("Förslaget avslås")),
                (TieRule.CHAIR_DECIDES.value, _l("Ordföranden avgör")),
            ]
        ),
        description=_l(
            "Nätverkets regel vid rösträkning: enkel majoritet, fler ja än nej ger bifall, "
            "annars avslag. Den som avstår räknas inte. Här väljer ni vad som gäller vid "
            "lika röstetal. Mötesskärmen visar regeln vid varje omröstning."
        ),
    )
    invite_lead_days = IntegerField(
        _l("Dagar före mötet som kallelsen ska skickas"),
        [
            required_field(_int_message()),
            NumberRange(min=0, max=120, message=_l("Ett tal mellan 0 och 120.")),
        ],
    )
    agenda_template = MultilineField(
        _l("Dagordningens standardpunkter"),
        max_chars=3000,
        description=_l(
            "En punkt per rad. Raden [förslag] visar var förslagen läggs in. Gäller möten vars "
            "dagordning inte är skapad än."
        ),
    )
    max_grant = AmountField(
        _l("Högsta belopp per ansökan (kronor)"),
        optional=True,
        description=_l("Lämna tomt om det inte finns något tak."),
    )
    report_due_days = IntegerField(
        _l("Dagar efter aktivitetens slut då redovisningen ska vara inne"),
        [
            required_field(_int_message()),
            NumberRange(min=0, max=730, message=_l("Ett tal mellan 0 och 730.")),
        ],
    )


class CriterionForm(BaseForm):
    text = LineField(_l("Kriterium"), [required_field(_l("Skriv kriteriet."))], max_chars=500)
    active = BooleanField(_l("Gäller"), default=True)


class RulesForm(BaseForm):
    title = LineField(_l("Rubrik"), [required_field(_l("Ge dokumentet en rubrik."))])
    body = MultilineField(
        _l("Regler"),
        [required_field(_l("Skriv reglerna."))],
        max_chars=50000,
        description=_l("Markdown: en tom rad mellan stycken, ## för rubriker, - för punktlistor."),
    )
    change_note = LineField(_l("Vad är ändrat?"), max_chars=500)
