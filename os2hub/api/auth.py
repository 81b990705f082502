"""Personal API tokens: `Authorization: Bearer <token>`. Tokens are issued on the profile page or with
`manage.py issue_token`; only their hash is stored (os2hub.accounts.models.ApiToken)."""

from ninja.security import HttpBearer

from os2hub.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        # request.auth becomes the User; None makes ninja answer 401.
        return api_token_authenticate(token.strip())


token_auth = TokenAuth()
