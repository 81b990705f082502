"""The Atom feed of the newsletter archive, with the conventions of community/feeds.py: ids and links from the
configured site address, Danish, control characters left out."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from os2hub.community.feeds import FEED_LANGUAGE, CleanAtom1Feed
from os2hub.core.markdown import render_markdown

from . import selectors

ISSUES_IN_FEED = 50


class NewsletterFeed(Feed):
    feed_type = CleanAtom1Feed
    language = FEED_LANGUAGE
    author_name = "OS2"

    def __call__(self, request, *args, **kwargs):
        with translation.override(FEED_LANGUAGE):
            return super().__call__(request, *args, **kwargs)

    def link(self):
        return f"{settings.SITE_URL}{reverse('newsletters:archive')}"

    def feed_url(self):
        return f"{settings.SITE_URL}{reverse('newsletters:feed')}"

    def feed_guid(self):
        return self.feed_url()

    def title(self):
        return _("OS2hub: newsletters")

    def subtitle(self):
        return _("Every newsletter OS2 has sent, newest first.")

    def items(self):
        return selectors.archive().select_related("author")[:ISSUES_IN_FEED]

    def item_title(self, item):
        return f"{item.topic.name}: {item.title}"

    def item_description(self, item):
        return render_markdown(item.body)

    def item_link(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.sent_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.topic.name]
