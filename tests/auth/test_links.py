"""Invitation and reset links: signed, single-use, expiring."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from grants.auth.tokens import TokenPurpose, make_token
from grants.core.outbox import OutboxMail
from grants.extensions import db
from grants.members.models import User
from tests.conftest import text_of
from tests.factories import NetworkFactory, UserFactory, coordinator_of

NEW_PASSWORD = "sommar i Ålsäter vid havet"


@pytest.fixture
def invited(app):
    network = NetworkFactory(slug="uddevalla", name="Integrationsnätverket i Uddevalla")
    return coordinator_of(network, email="ny@example.se", name="Ny Person", password_hash=None)


def set_password(client, url, password=NEW_PASSWORD, confirm=None):
    return client.submit(url, {"password": password, "confirm": confirm or password}, page=url)


def test_an_invitation_link_sets_the_password_and_signs_in(client, invited):
    url = "/auth/invite/" + make_token(invited, TokenPurpose.INVITATION)
    assert "Välkommen, Ny Person" in text_of(client.get(url))
    response = set_password(client, url)
    assert response.status_code == 302
    assert client.get("/auth/account").status_code == 200
    db.session.refresh(invited)
    assert invited.has_password


def test_an_invitation_link_works_only_once(client, invited):
    url = "/auth/invite/" + make_token(invited, TokenPurpose.INVITATION)
    set_password(client, url)
    client.submit("/auth/logout", page="/auth/account")
    again = client.get(url)
    assert again.status_code == 400
    assert "redan använts" in text_of(again)
    assert set_password(client, url, "ett annat lösenord här").status_code == 400


def test_an_invitation_link_expires_after_seven_days(app, client, invited):
    with freeze_time(invited.created_at - timedelta(days=8)):
        url = "/auth/invite/" + make_token(invited, TokenPurpose.INVITATION)
    response = client.get(url)
    assert response.status_code == 400
    assert "slutat gälla" in text_of(response)


def test_a_forged_or_cut_link_is_refused(client, invited):
    token = make_token(invited, TokenPurpose.INVITATION)
    for bad in (token[:-3] + "abc", token[: len(token) // 2], "inte-en-token"):
        response = client.get("/auth/invite/" + bad)
        assert response.status_code == 400
        assert "inte giltig" in text_of(response)


def test_a_reset_link_cannot_be_used_as_an_invitation(client, invited):
    token = make_token(invited, TokenPurpose.RESET)
    assert client.get("/auth/invite/" + token).status_code == 400


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("kort", None, "minst 12 tecken"),
        ("x" * 129, None, "högst 128 tecken"),
        ("aaaaaaaaaaaaaaaa", None, "för enkelt"),
        ("ny@example.se-hemligt", None, "e-postadress eller nätverkets namn"),
        ("integrationsnätverketiuddevalla1", None, "e-postadress eller nätverkets namn"),
        ("ett bra långt lösenord", "ett annat långt lösenord", "inte likadana"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, invited, password, confirm, message):
    url = "/auth/invite/" + make_token(invited, TokenPurpose.INVITATION)
    response = set_password(client, url, password, confirm)
    assert response.status_code == 400
    assert message in text_of(response)
    db.session.refresh(invited)
    assert not invited.has_password


def test_a_long_passphrase_of_128_characters_is_fine(client, invited):
    url = "/auth/invite/" + make_token(invited, TokenPurpose.INVITATION)
    assert set_password(client, url, ("långa ord i rad " * 8)[:128]).status_code == 302


def test_reset_mails_a_link_that_works_once_within_an_hour(client, app):
    user = UserFactory(email="anna@example.se")
    response = client.submit("/auth/reset", {"email": "anna@example.se"}, page="/auth/reset")
    assert "Kolla din e-post" in text_of(response)
    response.close()  # as a server does once the page is sent: then the mail is queued
    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "password_reset"))
    link = next(line for line in mail.body_text.splitlines() if "/auth/reset/" in line)
    path = link[link.index("/auth/reset/") :].strip()
    assert set_password(client, path).status_code == 302
    assert set_password(client, path, "ännu ett nytt lösenord").status_code == 400
    db.session.refresh(user)
    changed = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "password_changed"))
    assert changed.to_address == "anna@example.se"


def test_a_reset_link_expires_after_an_hour(client, app):
    user = UserFactory()
    with freeze_time(user.created_at - timedelta(minutes=61)):
        token = make_token(user, TokenPurpose.RESET)
    assert "slutat gälla" in text_of(client.get("/auth/reset/" + token))


def test_reset_says_the_same_for_an_unknown_address(client, app):
    response = client.submit("/auth/reset", {"email": "okand@example.se"}, page="/auth/reset")
    assert response.status_code == 200
    assert "Kolla din e-post" in text_of(response)
    response.close()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0


def test_a_reset_does_the_same_work_for_known_and_unknown_addresses(client, app):
    """The page goes out before the address is looked up: the same statements, in the
    same order, whether or not anyone has the address (it took 9–25 ms against 4–5)."""
    UserFactory(email="anna@example.se")
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    token = client.csrf_token("/auth/reset")
    seen = {}
    for address in ("anna@example.se", "okand@example.se", "ANNA@example.se"):
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", count)
        response = client.post("/auth/reset", data={"csrf_token": token, "email": address})
        sa.event.remove(db.engine, "before_cursor_execute", count)
        seen[address] = (
            response.status_code,
            text_of(response).replace(address.lower(), "…"),
            statements[:],
        )
        response.close()
    known, unknown, shouted = seen.values()
    assert known == unknown == shouted
    sent = db.session.scalars(sa.select(OutboxMail.to_address)).all()
    assert sent == ["anna@example.se", "anna@example.se"]


def test_an_invited_person_who_asks_for_a_reset_gets_the_invitation_again(client, invited):
    client.submit("/auth/reset", {"email": "ny@example.se"}, page="/auth/reset").close()
    mail = db.session.scalar(sa.select(OutboxMail))
    assert mail.kind == "invitation_again"
    assert "/auth/invite/" in mail.body_text


def test_users_are_found_by_address_whatever_the_case(app):
    UserFactory(email="anna@example.se")
    from grants.auth.operations import find_user_by_email

    assert find_user_by_email(" ANNA@example.se ") is not None
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
