"""Every number read from a URL or a form is ASCII digits, or it is ignored: never a 500.

A superscript digit (``²``) passed ``str.isdigit()`` and failed in ``int()``; a
digit of another script (``١``) and ``1_000`` pass ``int()``; thirty digits
overflow PostgreSQL's bigint.
"""

from __future__ import annotations

import pytest

from grants.core.numbers import ascii_int
from tests.factories import PASSWORD

HOSTILE = ["²", "١٢", "1_000", "-1", "+1", " 1 2", "1e3", "0x10", "9" * 30, "", "%00", "1\x00"]

# The list filters of the app and the numbers they take (security issue 14, finding 4).
LIST_FILTERS = {
    "/n/uddevalla/proposals/": ["meeting", "organisation", "criterion", "page"],
    "/n/uddevalla/audit/log": ["actor", "period", "organisation", "page"],
    "/n/uddevalla/funds/": ["period"],
    "/n/uddevalla/funded": ["period"],
    "/n/uddevalla/rules": ["version"],
}


def test_only_ascii_digits_are_numbers():
    assert ascii_int("42") == 42
    assert ascii_int(" 7 ") == 7
    assert [ascii_int(text) for text in HOSTILE] == [None] * len(HOSTILE)


@pytest.mark.parametrize("path", sorted(LIST_FILTERS))
def test_every_list_filter_takes_hostile_numbers_without_a_server_error(app, world, path):
    people = world[0]
    client = app.test_client()
    client.login(people["C"].email, PASSWORD)
    wrong = []
    for name in LIST_FILTERS[path]:
        for value in HOSTILE:
            response = client.get(path, query_string={name: value})
            if response.status_code != 200:
                wrong.append((name, value, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("role", ["C", "X"])
def test_a_hostile_number_in_a_form_is_refused_not_a_500(app, world, role):
    people, ids, _ = world
    client = app.test_client()
    client.login(people[role].email, PASSWORD)
    meeting = f"/n/uddevalla/meetings/{ids['meeting_id']}"
    token = client.csrf_token("/n/uddevalla/rules")
    forms = {
        "C": [
            (f"{meeting}/late", "proposal"),
            (f"{meeting}/session/items/{ids['item_id']}/recusal", "organisation"),
        ],
        "X": [(f"{meeting}/vote", "organisation"), (f"{meeting}/vote", "item")],
    }
    wrong = []
    for url, name in forms[role]:
        for value in HOSTILE:
            data = {"csrf_token": token, "organisation": str(ids["organisation_id"]), "item": "1"}
            response = client.post(url, data=data | {name: value})
            if response.status_code >= 500:
                wrong.append((url, name, value, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("segment", ["١٢", "²", "9" * 30, "0x1"])
def test_an_id_in_the_path_is_ascii_digits_or_a_404(app, world, segment):
    people, ids, _ = world
    client = app.test_client()
    client.login(people["C"].email, PASSWORD)
    for path in ("/n/uddevalla/grants/{}", "/n/uddevalla/proposals/{}", "/n/uddevalla/meetings/{}"):
        assert client.get(path.format(segment)).status_code == 404, path
    assert client.get(f"/n/uddevalla/grants/{ids['grant_id']}").status_code == 200
