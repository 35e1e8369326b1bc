"""The floor: the least a page of this stack can cost on this machine.

A minimal Flask app with the same parts (Flask-SQLAlchemy, the same database,
Jinja) that lists 50 rows of a 100,000-row table through the ORM and a template.
Every figure of the benchmark is a ratio to this page measured in the same run.

    DATABASE_URL=... gunicorn -w 2 'bench.floor_app:create_app()'
    DATABASE_URL=... python -m bench.floor_app seed
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Mapped, mapped_column

ROWS = 100_000
PAGE = 50

db = SQLAlchemy()


class FloorRow(db.Model):
    __tablename__ = "floor_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    amount_ore: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, index=True)


TEMPLATE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Golv</title></head>
<body><main><h1>{{ rows|length }} rader</h1>
<table><thead><tr><th>Namn</th><th>Belopp</th><th>Skapad</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.name }}</td><td>{{ row.amount_ore // 100 }} kr</td>
<td>{{ row.created_at.strftime("%Y-%m-%d") }}</td></tr>{% endfor %}
</tbody></table></main></body></html>"""


def _url() -> str:
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = _url()
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    db.init_app(app)

    @app.get("/")
    def page():
        offset = request.args.get("offset", 0, type=int) % (ROWS - PAGE)
        rows = db.session.scalars(
            sa.select(FloorRow).order_by(FloorRow.id).offset(offset).limit(PAGE)
        ).all()
        return render_template_string(TEMPLATE, rows=rows)

    return app


def seed() -> None:
    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
        batch = []
        for n in range(1, ROWS + 1):
            batch.append(
                {
                    "id": n,
                    "name": f"Föreningen nummer {n}",
                    "amount_ore": n * 137 % 5_000_000,
                    "created_at": start + timedelta(minutes=n),
                }
            )
            if len(batch) == 10_000:
                db.session.execute(sa.insert(FloorRow), batch)
                batch = []
        db.session.commit()


if __name__ == "__main__" and sys.argv[1:] == ["seed"]:
    seed()
