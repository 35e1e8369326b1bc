"""Random input on every form: never a 5xx, and a refused request saves nothing.

Hypothesis picks a POST route and fills it with the field names of the app's
forms (with the prefixes the pages use) and values people type, paste or
forge: the hostile inputs of tests/data/inputs.json, random text, numbers in
every format. After each request, if the answer was a refusal (4xx), no table
may have gained or lost a row.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from grants.core.forms import BaseForm
from grants.extensions import db
from tests.factories import PASSWORD

INPUTS = json.loads((Path(__file__).parents[1] / "data" / "inputs.json").read_text("utf-8"))
# Sign-in routes keep records of failures on purpose (throttling); they have tests of their own.
SKIPPED = ("auth.", "site.change_language", "static")


def _hostile_values() -> list[str]:
    values = []
    for key, group in INPUTS.items():
        if key.startswith("_"):
            continue
        for entry in group.values() if isinstance(group, dict) else group:
            if isinstance(entry, str):
                values.append(entry)
            elif isinstance(entry, list):
                values.extend(str(v) for v in entry if isinstance(v, str))
            elif isinstance(entry, dict):
                values.extend(str(v) for v in entry.values() if isinstance(v, str))
    return values


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _field_names() -> list[str]:
    names = {"organisation", "item", "decision", "reason", "version"}
    for form in _subclasses(BaseForm):
        for klass in form.__mro__:
            names |= {k for k, v in vars(klass).items() if isinstance(v, UnboundField)}
    return sorted(names)


VALUES = st.one_of(
    st.sampled_from(_hostile_values()),
    st.text(max_size=200),
    st.from_regex(r"-?[0-9 ]{0,9}([,.][0-9]{0,3})?( kr)?", fullmatch=True),
    st.sampled_from(["y", "yes", "approved", "rejected", "deferred", "acclamation", "1", "0"]),
    st.dates().map(lambda d: d.isoformat()),
)


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_input_on_every_form_never_breaks_and_never_half_saves(app, world, data):
    people, ids, overrides = world
    routes = sorted(
        (rule for rule in app.url_map.iter_rules() if "POST" in rule.methods),
        key=lambda rule: rule.rule,
    )
    routes = [rule for rule in routes if not rule.endpoint.startswith(SKIPPED)]
    rule = data.draw(st.sampled_from(routes), label="route")
    role = data.draw(st.sampled_from("CXT"), label="role")
    prefixes = [
        "",
        f"item{ids['item_id']}-",
        f"paid{ids['payout_id']}-",
        f"cancel{ids['payout_id']}-",
    ]
    names = [prefix + name for prefix in prefixes for name in _field_names()]
    form = data.draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=8), label="form")
    client = app.test_client()
    client.login(people[role].email, PASSWORD)
    form["csrf_token"] = client.csrf_token("/n/uddevalla/rules")
    with app.test_request_context():
        values = {**ids, **overrides.get(rule.endpoint, {})}
        url = url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
    before = _row_counts()
    response = client.post(url, data=form)
    assert response.status_code < 500, (url, form)
    if 400 <= response.status_code < 500:
        assert _row_counts() == before, (url, form, response.status_code)
