"""The CLI contract: network create, user create, demo seed."""

import sqlalchemy as sa

from grants.core.audit import all_chains, verify_chain
from grants.demo import network_roles
from grants.extensions import db
from grants.members.models import Membership, RoleKind, User
from grants.networks.models import Network


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_network_create(app):
    result = run(
        app,
        "network",
        "create",
        "--slug",
        "vanersborg",
        "--name",
        "Nätverket i Vänersborg",
        "--municipality",
        "Vänersborg",
    )
    assert result.exit_code == 0, result.output
    network = db.session.scalar(sa.select(Network))
    assert network.slug == "vanersborg" and network.public


def test_network_create_refuses_a_bad_or_taken_slug(app):
    assert (
        run(
            app, "network", "create", "--slug", "Ö bad", "--name", "x", "--municipality", "x"
        ).exit_code
        != 0
    )
    run(app, "network", "create", "--slug", "a", "--name", "x", "--municipality", "x")
    again = run(app, "network", "create", "--slug", "a", "--name", "y", "--municipality", "y")
    assert again.exit_code != 0 and "redan" in again.output


def test_user_create_with_a_role_prints_an_invitation_link(app):
    run(app, "network", "create", "--slug", "a", "--name", "x", "--municipality", "x")
    result = run(
        app,
        "user",
        "create",
        "--email",
        "Sara@Example.se",
        "--name",
        "Sara",
        "--network",
        "a",
        "--role",
        "coordinator",
    )
    assert result.exit_code == 0, result.output
    assert "http://testserver.local/auth/invite/" in result.output
    user = db.session.scalar(sa.select(User))
    assert user.email == "sara@example.se" and user.roles[0].role == RoleKind.COORDINATOR


def test_user_create_refuses_a_weak_password_and_saves_nothing(app):
    result = run(
        app, "user", "create", "--email", "a@example.se", "--name", "A", "--password", "kort"
    )
    assert result.exit_code != 0 and "minst 12 tecken" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_demo_seed_builds_the_uddevalla_network_with_logins_and_a_sound_chain(app):
    result = run(app, "demo", "seed")
    assert result.exit_code == 0, result.output
    assert "samordnare@uddevalla.example.se" in result.output
    # Someone other than the coordinator attests, so the demo can pay out.
    assert "attestant@uddevalla.example.se" in result.output
    network = db.session.scalar(sa.select(Network))
    attestants = [r.user.email for r in network_roles(network) if r.role == RoleKind.ATTESTANT]
    assert attestants == ["attestant@uddevalla.example.se"]
    assert network.name == "Integrationsnätverket i Uddevalla"
    assert len(network.active_criteria) == 4
    members = db.session.scalar(sa.select(sa.func.count(Membership.id)))
    assert members == 12
    assert all(verify_chain(chain).ok for chain in all_chains())
    again = run(app, "demo", "seed", "--if-empty")
    assert again.exit_code == 0 and "already" in again.output
    assert "samordnare@uddevalla.example.se" in again.output
    assert db.session.scalar(sa.select(sa.func.count(Network.id))) == 1
