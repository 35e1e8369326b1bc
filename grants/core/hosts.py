"""Only configured host names are answered (WSGI middleware, before anything else runs).

A request whose Host header is not in TRUSTED_HOSTS gets a plain 400: no page, no
redirect and no link is ever built from a forged host. Liveness and readiness are
exempt, because a load balancer asks each node by its own address.
"""

from __future__ import annotations

import re

# A host name or an IPv4 address, or an IPv6 address in brackets, then an optional port
# of digits: anything else ("good.host:@evil", "[good]junk") is no host at all.
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253})(?::[0-9]{1,5})?")
HEALTH_PATHS = frozenset({"/healthz", "/readyz"})
BODY = b"400 Bad Request: this server does not answer for that host name.\n"


class KnownHostsOnly:
    def __init__(self, wsgi_app, hosts: list[str]) -> None:
        self.wsgi_app = wsgi_app
        self.hosts = frozenset(normalise_host(host) for host in hosts)

    @staticmethod
    def _host_of(environ) -> str:
        """The host name the request asks for, lower case; "" when the header is malformed."""
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""
        match = _HOST.fullmatch(host)
        return match.group(1).lower() if match else ""

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") in HEALTH_PATHS or self._host_of(environ) in self.hosts:
            return self.wsgi_app(environ, start_response)
        start_response(
            "400 Bad Request",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(BODY))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [BODY]


def normalise_host(host: str) -> str:
    """``::1`` and ``[::1]`` alike as ``[::1]``; names in lower case."""
    host = host.strip().lower()
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host
