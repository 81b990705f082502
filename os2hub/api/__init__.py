"""The public REST API, v1 (the contract is API.md). One router module per domain, assembled here under
/api/v1/; the OpenAPI document is /api/openapi.json and the docs /api/docs."""

from ninja import NinjaAPI

from . import (
    community,
    development,
    errors,
    governance,
    needs,
    newsletters,
    products,
    questions,
    scans,
    service,
    suppliers,
)
from .auth import token_auth
from .throttling import WriteThrottle


class OS2hubAPI(NinjaAPI):
    """Documents the answers every operation may give besides its own: 500 (any operation, in the error shape;
    see errors.py) and 429 (writes and token use are throttled; see throttling.py)."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for path in schema["paths"].values():
            for method, operation in path.items():
                responses = operation.setdefault("responses", {})
                if method != "get" or operation.get("security"):
                    responses.setdefault(429, {"description": "Too Many Requests", **error})
                responses.setdefault(500, {"description": "Internal Server Error", **error})
        return schema


api = OS2hubAPI(
    title="OS2hub API",
    version="1",
    urls_namespace="api",
    description="The public API of OS2hub. Authenticate with `Authorization: Bearer <token>`.",
    # Every endpoint requires a token unless it says auth=None.
    auth=token_auth,
    # Writes per token owner, counted in the shared cache (see throttling.py); bad tokens are limited in auth.py.
    throttle=[WriteThrottle()],
    # The docs page needs no exception from the site's CSP: with "ninja" in INSTALLED_APPS it loads Swagger
    # UI from our own static files (no CDN) and has no inline script; checked in Chromium.
)
errors.register(api)

api.add_router("/v1/", service.router)
api.add_router("/v1/", suppliers.router)
api.add_router("/v1/", products.router)
api.add_router("/v1/", governance.router)
api.add_router("/v1/", scans.router)
api.add_router("/v1/", development.router)
api.add_router("/v1/", needs.router)
api.add_router("/v1/", community.router)
api.add_router("/v1/", questions.router)
api.add_router("/v1/", newsletters.router)
# Keep last: it answers every path the routers above do not know.
api.add_router("/v1/", service.fallback)
