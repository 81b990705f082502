"""Fictional news, events and wiki pages on the first products."""

from django.utils import timezone

from os2hub.demo.common import DEMO_NOTE


def product_content(product, editor, steering):
    """Fictional news, an event and wiki pages, so the product pages look lived in."""
    from os2hub.community import services as community_services
    from os2hub.products import wiki

    now = timezone.now()
    post = community_services.news_create(
        product=product,
        user=editor,
        data={
            "title": f"Ny version af {product.name} er klar (demo)",
            "body": f"Fællesskabet har frigivet en ny version af {product.name} med rettelser og forbedringer."
            + DEMO_NOTE,
        },
    )
    # Published a few days ago, so the demo's news list reads naturally.
    type(post).objects.filter(pk=post.pk).update(published_at=now - timezone.timedelta(days=3))
    community_services.event_create(
        product=product,
        user=editor,
        data={
            "title": f"Brugergruppemøde om {product.name} (demo)",
            "description": "Vi gennemgår ønsker til næste version og deler erfaringer." + DEMO_NOTE,
            "starts_at": now + timezone.timedelta(days=14),
            "ends_at": now + timezone.timedelta(days=14, hours=3),
            "location": "Aarhus Rådhus",
            "online_url": "https://os2.eu/",
        },
    )
    wiki.wiki_page_save(
        product=product,
        user=editor,
        title="Kom godt i gang",
        body=f"## Installation\n\nSe dokumentationen i {product.name}s repository.\n" + DEMO_NOTE,
        comment="Første udgave",
    )
    if steering is not None:
        wiki.wiki_page_save(
            product=product,
            user=editor,
            group=steering,
            title="Styregruppens referater",
            body="Referater fra styregruppens møder." + DEMO_NOTE,
            comment="Oprettet",
        )
