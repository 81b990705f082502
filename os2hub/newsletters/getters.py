"""One door per permission for newsletters.

The secretariat writes and sends issues on any topic to any segment. A product's coordinator writes issues only
on their product's topic, and only to the product-scoped segments of their own products (authorities using it,
its coordinator and groups, the subscribers of its topic). Anyone else cannot see drafts at all: 404, as for
any object one may not see. Sent issues of public topics are public."""

from django.http import Http404

from os2hub.core.roles import is_secretariat
from os2hub.products.models import Product

from . import segments
from .models import Issue, Topic


class Writable:
    """What one person may write: which topics and which segment keys."""

    def __init__(self, user):
        self.user = user
        self.secretariat = bool(user.is_authenticated and is_secretariat(user))
        if self.secretariat:
            self.products = []
            self.topics = list(Topic.objects.all())
        elif user.is_authenticated:
            self.products = list(Product.objects.filter(coordinator=user).only("pk", "name", "slug", "summary"))
            self.topics = list(Topic.objects.filter(product__in=self.products))
        else:
            self.products, self.topics = [], []
        self.topic_ids = {t.pk for t in self.topics}
        self._keys = segments.product_keys(p.pk for p in self.products) | {f"topic:{pk}" for pk in self.topic_ids}

    @property
    def any(self) -> bool:
        return self.secretariat or bool(self.products)

    def may_use(self, key: str) -> bool:
        return self.secretariat or key in self._keys

    def may_edit(self, issue: Issue) -> bool:
        return self.secretariat or issue.topic_id in self.topic_ids

    def may_send(self, issue: Issue) -> bool:
        return self.may_edit(issue) and all(self.may_use(k) for k in issue.segments)

    def choices(self):
        return segments.segment_choices(secretariat=self.secretariat, products=self.products, topics=self.topics)


def writable_for(user) -> Writable:
    return Writable(user)


def get_issue_for_user(user, pk, *, write=False) -> Issue:
    """A sent issue of a public topic for anyone; a draft, an issue being sent or one of a non-public topic only
    for those who may write on its topic."""
    issue = Issue.objects.select_related("topic", "product", "author").filter(pk=pk).first()
    if issue is None:
        raise Http404
    public = issue.status == Issue.Status.SENT and issue.topic.public
    if write or not public:
        if not user.is_authenticated or not Writable(user).may_edit(issue):
            raise Http404
        if write and issue.status != Issue.Status.DRAFT:
            raise Http404
    return issue


def get_topic(slug) -> Topic:
    topic = (
        Topic.objects.filter(slug=slug, public=True).first() if isinstance(slug, str) and "\x00" not in slug else None
    )
    if topic is None:
        raise Http404
    return topic
