"""Personal API tokens: `Authorization: Bearer <token>`. Tokens are issued on the profile page or with
`manage.py issue_token`; only their hash is stored (os2hub.accounts.models.ApiToken).

Failed token authentications are counted per client address (os2hub.api.throttling): past the limit, the
address gets 429 for the rest of the minute, whatever token it sends."""

from ninja.errors import Throttled
from ninja.security import HttpBearer

from os2hub.accounts.services import api_token_authenticate

from . import throttling


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        if throttling.bad_tokens_exceeded(request):
            raise Throttled(wait=60)
        # request.auth becomes the User; None makes ninja answer 401.
        user = api_token_authenticate(token.strip())
        if user is None:
            throttling.bad_token_record(request)
        return user


token_auth = TokenAuth()
