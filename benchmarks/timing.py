"""Shared by the benchmark scripts: server time of one URL through Django's test client."""

import statistics
import time


def measure(client, url, runs=200):
    """Return (p50, p95) in milliseconds over `runs` requests, after one warm-up request."""
    client.get(url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]
