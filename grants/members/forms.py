from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from grants.core.forms import (
    BaseForm,
    EmailAddressField,
    LineField,
    MultilineField,
    OrgnrField,
    choices,
    required,
)
from grants.core.labels import lazy_label
from grants.members.models import OrganisationKind, RoleKind
from grants.members.operations import JOINABLE_KINDS


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


def _kind_choices(kinds):
    return choices((kind.value, lazy_label(kind)) for kind in kinds)


class OrganisationFields(BaseForm):
    organisation_name = LineField(
        _l("Organisationens namn"), [required(_l("Skriv organisationens namn."))]
    )
    orgnr = OrgnrField(
        _l("Organisationsnummer"),
        description=_l(
            "Tio siffror, till exempel 802001-2343. Finns i föreningens "
            "stadgar eller hos Skatteverket."
        ),
    )
    kind = RadioField(
        _l("Vilken sorts organisation?"),
        choices=_kind_choices(JOINABLE_KINDS),
        validators=[required(_l("Välj vilken sorts organisation det är."))],
        description=_l(
            "En kommunal verksamhet kan söka pengar bara tillsammans med en "
            "förening eller ett nätverk i ideell sektor."
        ),
    )
    contact_name = LineField(
        _l("Kontaktperson"),
        [required(_l("Skriv kontaktpersonens namn."))],
        render_kw={"autocomplete": "name"},
    )
    contact_email = EmailAddressField(_l("Kontaktpersonens e-postadress"))


class JoinForm(OrganisationFields):
    wants_invitations = BooleanField(
        _l("Skicka kallelser till nätverksträffar och information från dem till oss"),
        default=True,
    )
    message = MultilineField(_l("Meddelande till samordnaren (frivilligt)"), max_chars=2000)


class AddMemberForm(OrganisationFields):
    wants_invitations = BooleanField(
        _l("Organisationen vill ha kallelser och information"), default=True
    )


class RejectForm(BaseForm):
    reason = MultilineField(
        _l("Motivering till organisationen"),
        [required(_l("Skriv varför ansökan avslås."))],
        max_chars=2000,
    )


class OrganisationForm(BaseForm):
    name = LineField(_l("Organisationens namn"), [required(_l("Skriv organisationens namn."))])
    orgnr = OrgnrField(_l("Organisationsnummer"))
    kind = RadioField(
        _l("Vilken sorts organisation?"),
        choices=_kind_choices(OrganisationKind),
        validators=[required(_l("Välj vilken sorts organisation det är."))],
    )
    contact_name = LineField(_l("Kontaktperson"), [required(_l("Skriv kontaktpersonens namn."))])
    contact_email = EmailAddressField(_l("Kontaktpersonens e-postadress"))
    wants_invitations = BooleanField(_l("Organisationen vill ha kallelser och information"))


class RoleForm(BaseForm):
    email = EmailAddressField(_l("E-postadress"))
    name = LineField(
        _l("Namn"), description=_l("Behövs bara om personen inte redan har ett konto.")
    )
    # Starts empty: a select that hands out power must not pick one for you.
    role = SelectField(
        _l("Roll"),
        choices=[
            SelectChoice("", _l("– välj roll –")),
            *choices((kind.value, lazy_label(kind)) for kind in RoleKind),
        ],
        validators=[required(_l("Välj en roll."))],
    )
    organisation = SelectField(
        _l("Organisation (för representanter)"),
        coerce=_optional_id,
        validators=[Optional()],
        validate_choice=False,
    )


class PayoutDetailsForm(BaseForm):
    method = RadioField(
        _l("Hur ska pengar betalas ut?"),
        choices=choices(
            [
                ("bankgiro", _l("Bankgiro")),
                ("plusgiro", _l("Plusgiro")),
                ("bank_account", _l("Bankkonto")),
            ]
        ),
        validators=[required(_l("Välj bankgiro, plusgiro eller bankkonto."))],
    )
    number = LineField(
        _l("Nummer"),
        [required(_l("Skriv numret."))],
        max_chars=40,
        description=_l(
            "Bankgiro: 5678-1230. Plusgiro: 123 45 67-4. Bankkonto: clearingnummer "
            "och kontonummer, till exempel 6000 123 456 789."
        ),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class EraseForm(BaseForm):
    confirm_erasure = BooleanField(
        _l("Jag förstår att namnet och e-postadressen tas bort för alltid."),
        validators=[required(_l("Kryssa i rutan för att bekräfta att personen ska tas bort."))],
    )


class ConfirmForm(BaseForm):
    """A button and its CSRF token: confirming what a mailed link describes."""
