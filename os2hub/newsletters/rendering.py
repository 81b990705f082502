"""An issue as a mail: rendered once per language, with the recipient's own unsubscribe address put in last.

Rendering the templates for each of 10,000 recipients would cost more than sending; the address is the only part
that differs, so it is rendered as a placeholder and replaced per recipient (it holds only URL-safe characters, so
it needs no escaping in the HTML part)."""

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from os2hub.core.mail import render_mail
from os2hub.core.markdown import render_markdown
from os2hub.core.text import strip_control_characters

from .tokens import unsubscribe_token

PLACEHOLDER = "https://os2hub.invalid/unsubscribe-placeholder/"


def unsubscribe_url(topic_id: int, email: str) -> str:
    return f"{settings.SITE_URL}{reverse('newsletters:unsubscribe', args=[unsubscribe_token(topic_id, email)])}"


def list_id(topic) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "os2hub"
    return f"{topic.name} <{topic.slug}.{host}>"


class IssueMail:
    """The rendered parts of one issue, per language, ready to be addressed."""

    def __init__(self, issue):
        self.issue = issue
        self.topic = issue.topic
        self.html_body = render_markdown(issue.body)
        # The text part is the Markdown as written (readable as it is), without any HTML tags.
        self.text_body = strip_control_characters(strip_tags(issue.body))
        self._by_language: dict[str, tuple[str, str, str]] = {}

    def parts(self, language: str) -> tuple[str, str, str]:
        if language not in self._by_language:
            context = {
                "issue": self.issue,
                "topic": self.topic,
                "body_html": self.html_body,
                "body_text": self.text_body,
                "issue_url": f"{settings.SITE_URL}{self.issue.get_absolute_url()}",
                "unsubscribe_url": PLACEHOLDER,
            }
            self._by_language[language] = render_mail("newsletter_issue", context, language)
        return self._by_language[language]

    def for_recipient(self, email: str, language: str) -> tuple[str, str, str, dict[str, str]]:
        subject, text, html = self.parts(language)
        url = unsubscribe_url(self.topic.pk, email)
        headers = {
            # RFC 8058: mail clients offer "unsubscribe" and POST List-Unsubscribe=One-Click to the address.
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": list_id(self.topic),
            "Precedence": "bulk",
        }
        return subject, text.replace(PLACEHOLDER, url), html.replace(PLACEHOLDER, url), headers
