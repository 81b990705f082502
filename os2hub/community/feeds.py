"""Feeds of API.md: Atom for news, iCalendar for events.

The iCalendar text is written here by hand (RFC 5545) rather than with a library: the subset needed is small,
and the rules that make calendar clients accept it (CRLF, folding at 75 octets, escaping) are tested."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from os2hub.core.markdown import render_markdown
from os2hub.core.text import strip_control_characters
from os2hub.products.getters import get_product

from .getters import get_event_for_user
from .models import Event, NewsPost

FEED_LANGUAGE = "da"
NEWS_IN_FEED = 50
# A calendar keeps recent events for a while, so that a subscriber who looks back still finds them.
PAST_DAYS_IN_CALENDAR = 30


# --- Atom ---------------------------------------------------------------------------------------------------


def _clean(value):
    if isinstance(value, list | tuple):
        return [strip_control_characters(v) for v in value]
    return strip_control_characters(value)


class CleanAtom1Feed(Atom1Feed):
    """Atom that whatever is stored can go into: XML 1.0 cannot carry most control characters, and Django's XML
    writer raises on them, so one of them in a news post (an old row, an import, the admin) would answer every
    reader of the feed with an error. They are left out of the feed's and each entry's texts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {key: _clean(value) for key, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {key: _clean(value) for key, value in self.items[-1].items()}


class SiteAtomFeed(Feed):
    """An Atom feed of OS2hub: Danish (its xml:lang, so its own words are Danish whatever the reader's
    language), by OS2, control characters left out, and its links and ids from the configured site address
    (Django would take the request's host, which a proxy or another port changes; readers would then show every
    entry again). A feed names the page it belongs to (`page_url_name`) and itself (`feed_url_name`)."""

    feed_type = CleanAtom1Feed
    language = FEED_LANGUAGE
    author_name = "OS2"
    page_url_name = "web:home"
    feed_url_name = ""

    def __call__(self, request, *args, **kwargs):
        with translation.override(FEED_LANGUAGE):
            return super().__call__(request, *args, **kwargs)

    def link(self):
        return f"{settings.SITE_URL}{reverse(self.page_url_name)}"

    def feed_url(self):
        return f"{settings.SITE_URL}{reverse(self.feed_url_name)}"

    def feed_guid(self):
        return self.feed_url()

    def item_link(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"


class NewsFeed(SiteAtomFeed):
    feed_url_name = "community:news_feed"

    def title(self):
        return _("OS2hub: news from the products")

    def subtitle(self):
        return _("News posts from the communities of OS2's products.")

    def items(self):
        return NewsPost.objects.published().select_related("product", "author")[:NEWS_IN_FEED]

    def item_title(self, item):
        return f"{item.product.name}: {item.title}"

    def item_description(self, item):
        return render_markdown(item.body)

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.name if item.author and item.author.name else None

    def item_categories(self, item):
        return [item.product.name]


# --- iCalendar ----------------------------------------------------------------------------------------------

CRLF = "\r\n"
MAX_LINE_OCTETS = 75


def ical_escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as \\n. Control
    characters other than HTAB are not allowed in a content line (RFC 5545 3.1): they are left out."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = strip_control_characters(text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ical_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character. A continuation line
    starts with one space, which counts towards its 75 octets."""
    if len(line.encode()) <= MAX_LINE_OCTETS:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > MAX_LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return CRLF.join(parts)


def ical_datetime(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _uri(value: str) -> str:
    # URI values are not TEXT-escaped; addresses are validated, but a line break must never end up in one.
    return strip_control_characters(value or "").replace("\n", "").replace("\r", "")


def _uid_host() -> str:
    # The configured site address, not the request's host, as for the Atom ids: a UID must stay the same
    # however the calendar is fetched, or clients show every event twice.
    return urlsplit(settings.SITE_URL).hostname or "os2hub"


def _event_lines(event: Event, *, request, now: datetime.datetime, host: str) -> list[str]:
    page = f"{settings.SITE_URL}{event.get_absolute_url()}"
    details = [event.description.strip()] if event.description.strip() else []
    if event.online_url:
        details.append(_("Online: %(url)s") % {"url": event.online_url})
    if event.status == Event.Status.CANCELLED:
        details.insert(0, _("The event is cancelled."))
    if event.registration_url:
        details.append(_("Registration: %(url)s") % {"url": event.registration_url})
    details.append(_("More: %(url)s") % {"url": page})
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{ical_datetime(now)}",
        f"CREATED:{ical_datetime(event.created_at)}",
        f"LAST-MODIFIED:{ical_datetime(event.updated_at)}",
        f"DTSTART:{ical_datetime(event.starts_at)}",
    ]
    # DTEND must be later than DTSTART; an event that ends when it starts is an instant and has none.
    if event.ends_at > event.starts_at:
        lines.append(f"DTEND:{ical_datetime(event.ends_at)}")
    lines += [
        f"SUMMARY:{ical_escape(f'{event.product.name}: {event.title}' if event.product_id else event.title)}",
        f"DESCRIPTION:{ical_escape(chr(10).join(details))}",
    ]
    location = event.location or event.online_url
    if location:
        lines.append(f"LOCATION:{ical_escape(location)}")
    if event.status == Event.Status.CANCELLED:
        lines.append("STATUS:CANCELLED")
    lines += [f"URL:{_uri(event.registration_url or event.online_url or page)}", "END:VEVENT"]
    return lines


def render_calendar(*, events, name: str, request) -> str:
    now = timezone.now()
    host = _uid_host()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//OS2//OS2hub//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape(name)}",
        # How often subscribers should fetch again (RFC 7986 and the older name that Outlook reads).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines += _event_lines(event, request=request, now=now, host=host)
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + CRLF for line in lines)


def _calendar_response(request, *, events, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        render_calendar(events=events, name=name, request=request).encode(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _calendar_window():
    # Published events, and cancelled ones with STATUS:CANCELLED so subscribed calendars drop them; proposed and
    # rejected events never appear.
    return Event.objects.listed().filter(ends_at__gte=timezone.now() - datetime.timedelta(days=PAST_DAYS_IN_CALENDAR))


def events_ics(request):
    """Every published event (OS2-wide, group and product events), upcoming and of the last 30 days."""
    with translation.override(FEED_LANGUAGE):
        return _calendar_response(
            request,
            events=_calendar_window().select_related("product"),
            name=_("OS2hub: events"),
            filename="os2hub-events.ics",
        )


def event_ics(request, pk):
    """One event as a calendar file, for "Add to calendar" on its page."""
    event = get_event_for_user(request.user, None, pk)
    with translation.override(FEED_LANGUAGE):
        return _calendar_response(request, events=[event], name=event.title, filename=f"event-{event.pk}.ics")


def product_events_ics(request, slug):
    product = get_product(slug)
    events = list(_calendar_window().filter(product=product))
    for event in events:
        event.product = product
    with translation.override(FEED_LANGUAGE):
        return _calendar_response(
            request,
            events=events,
            name=_("OS2hub: events of %(product)s") % {"product": product.name},
            filename=f"{product.slug}-events.ics",
        )
