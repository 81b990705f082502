"""The container's health check (HEALTHCHECK in the Dockerfile): GET /api/v1/health from the gunicorn in this
container. Exit status 0 when it answers 200, 1 otherwise. Standard library only: the image has no curl.

Django answers only to the names in ALLOWED_HOSTS, so the request names the first of them; the endpoint is exempt
from the HTTPS redirect. PORT is gunicorn's port (8000 as in the image's command)."""

import os
import sys
import urllib.request


def host_header() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip() and h.strip() != "*"]
    # ".example.dk" allows example.dk and its subdomains.
    return hosts[0].lstrip(".") if hosts else "localhost"


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/api/v1/health"
    request = urllib.request.Request(url, headers={"Host": host_header()})  # noqa: S310 (a fixed http URL)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            healthy = response.status == 200
    except Exception as exc:  # noqa: BLE001 - any failure is "unhealthy", with the reason in Docker's log
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
