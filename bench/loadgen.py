"""A small closed-loop load generator (used when Debian's wrk is not installed).

N threads, each with its own keep-alive connection, request the same URL back to
back for a fixed time; the answer is the throughput and the latency percentiles.
Closed loop like wrk: the server's speed sets the pace.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Result:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def run(url: str, *, concurrency: int, seconds: float, headers: dict | None = None) -> Result:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    deadline = time.perf_counter() + seconds
    start_gate = threading.Barrier(concurrency + 1)

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        start_gate.wait()
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers or {})
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            latencies[index].append((time.perf_counter() - began) * 1000)
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    start_gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    flat = sorted(value for values in latencies for value in values)
    return Result(
        requests=len(flat),
        errors=sum(errors),
        seconds=elapsed,
        p50_ms=_percentile(flat, 0.50),
        p95_ms=_percentile(flat, 0.95),
        p99_ms=_percentile(flat, 0.99),
    )
