"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

import gc

from grants import create_app

# Behind a reverse proxy, PROXY_HOPS=1 makes the app believe its X-Forwarded-For and
# -Proto (create_app applies it, so the tests run the same code).
app = create_app()
# What start-up built (the app, its modules, the catalogues) lives as long as the worker;
# frozen, it is left out of every garbage collection (about 5 % of a request's time).
gc.collect()
gc.freeze()
