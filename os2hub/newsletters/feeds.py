"""The Atom feed of the newsletter archive, with the conventions of community/feeds.py: ids and links from the
configured site address, Danish, control characters left out."""

from django.utils.translation import gettext as _

from os2hub.community.feeds import SiteAtomFeed
from os2hub.core.markdown import render_markdown

from . import selectors

ISSUES_IN_FEED = 50


class NewsletterFeed(SiteAtomFeed):
    page_url_name = "newsletters:archive"
    feed_url_name = "newsletters:feed"

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

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.sent_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.topic.name]
