from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from grants.core.forms import (
    AmountField,
    BaseForm,
    CheckboxesField,
    LineField,
    MultilineField,
    choices,
    required,
)


class DecisionForm(BaseForm):
    # Asked only when the meeting decides without a vote; after a closed vote the count
    # decides (decisions.decide says which applies, and refuses the other).
    outcome = RadioField(
        _l("Beslut"),
        choices=choices(
            [
                ("approved", _l("Bifall: bevilja")),
                ("rejected", _l("Avslag")),
                ("deferred", _l("Bordläggning till nästa möte")),
            ]
        ),
        validate_choice=False,
    )
    amount = AmountField(
        _l("Beviljat belopp (kronor)"),
        optional=True,
        description=_l("Lämna tomt för det sökta beloppet. Högst det sökta beloppet."),
    )
    conditions = MultilineField(_l("Villkor (frivilligt)"), max_chars=2000)
    reason = MultilineField(
        _l("Motivering"), max_chars=2000, description=_l("Behövs vid bordläggning.")
    )
    chair_approves = RadioField(
        _l("Vid lika röstetal: ordförandens beslut"),
        choices=choices([("yes", _l("Bifall")), ("no", _l("Avslag"))]),
        validate_choice=False,
    )


class VoteForm(BaseForm):
    choice = RadioField(
        _l("Röst"),
        choices=choices([("yes", _l("Ja")), ("no", _l("Nej")), ("abstain", _l("Avstår"))]),
        validators=[required(_l("Välj ja, nej eller avstår."))],
    )


class OfficersForm(BaseForm):
    chair = LineField(_l("Ordförande"), [required(_l("Skriv vem som är ordförande."))])
    secretary = LineField(_l("Sekreterare"), [required(_l("Skriv vem som är sekreterare."))])
    adjusters = CheckboxesField(
        _l("Justerare (en eller två, bland de närvarande)"), coerce=int, validate_choice=False
    )
