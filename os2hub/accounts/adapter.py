"""How allauth counts failed logins on OS2hub (the limits themselves are OS2HUB_LOGIN_RATE_LIMITS in settings).

allauth counts failed password logins per address and per account. Counting per account alone lets anyone who
knows an e-mail address lock its owner out from every address with a few wrong passwords. Here the per-account
count is kept per (account, address) pair instead, and a separate, much higher ceiling per account over all
addresses ("login_failed_account") slows guessing spread over many addresses.
"""

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings

APP = "allauth.account"
ACCOUNT_CEILING = "login_failed_account"
# The links allauth puts in its e-mails (verify the address, reset the password, sign up).
LINKS_IN_MAIL = ("activate_url", "password_reset_url", "signup_url")


class Site:
    """What allauth's e-mails call the site ("Hello from ...", the signature): OS2hub at SITE_URL, not the host
    the request came in on."""

    name = "OS2hub"

    @property
    def domain(self) -> str:
        return urlsplit(settings.SITE_URL).netloc


def on_site(url: str) -> str:
    """The address on the configured site (SITE_URL), whatever host the request that built it came in on."""
    parts = urlsplit(url)
    return settings.SITE_URL + urlunsplit(("", "", parts.path, parts.query, parts.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def _account_key(self, request, **credentials) -> str:
        # allauth's own key: the site's domain and the login (e-mail address) in lower case.
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # The key of allauth's "login_failed" limit: the account *and* the address it is tried from (IPv6 addresses
        # are cut to their /64 network, as allauth does for its per-address limit).
        return f"{self._account_key(request, **credentials)}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)  # per address, per (account, address)
        usage = ratelimit.consume(
            request, app=APP, action=ACCOUNT_CEILING, key=self._account_key(request, **credentials)
        )
        if usage is None:
            # Refused before the password is checked: this attempt should not count against the address either.
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")
        # allauth rolls back this attempt's counts when the password turns out right; include the ceiling.
        self._login_failed_rl_usage.usage.extend(usage.usage)

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        # After a successful password reset: clear the counts for this address and lift the account's ceiling.
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, app=APP, action=ACCOUNT_CEILING, key=self._account_key(request, **credentials))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth builds its links from the request's host; OS2hub's links all come from SITE_URL (a proxy or
        # another port would otherwise put an address in the mail that the reader cannot open).
        for key in LINKS_IN_MAIL:
            if context.get(key):
                context[key] = on_site(context[key])
        super().send_mail(template_prefix, email, {**context, "current_site": Site()})
