"""The scanner's messages as templates with parameters, so that a reader in another language can have them
translated: the command line prints them in English; os2hub.scans stores the template and its parameters beside
the English sentence and translates the template through Django's catalogues when a page shows it.

A `Message` is an English template with %(name)s parameters and their values: text and numbers as they are (file
names, licence ids, counts), another Message (a phrase such as "an OSI-approved licence"), or a `Joined` list of
messages. `str(message)` is the English sentence. `as_data()` is its stored form (plain JSON) and
`render(data, translate)` builds the sentence from it, each template passed through `translate` first (Django's
gettext on the Django side); a translation that does not fit its parameters falls back to the English template.

Every template is written as `gettext_noop("...")`, so `makemessages` (xgettext) finds it for the catalogues.
`gettext_noop` here is this module's own function: it returns the text unchanged, and no Django is imported.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


def gettext_noop(template: str) -> str:
    """Marks a template for the translation catalogues; returns it unchanged (translated only when shown)."""
    return template


@dataclass(frozen=True)
class Message:
    template: str
    params: dict = field(default_factory=dict)

    def as_data(self) -> dict:
        return {"template": self.template, "params": {key: _data(value) for key, value in self.params.items()}}

    def __str__(self) -> str:
        return render(self.as_data())


@dataclass(frozen=True)
class Joined:
    """Messages shown one after the other with a separator ("; " between problems, ", " in a list)."""

    items: tuple
    separator: str = ", "

    def __str__(self) -> str:
        return render(_data(self))


def _data(value):
    if isinstance(value, Message):
        return value.as_data()
    if isinstance(value, Joined):
        return {"join": value.separator, "items": [_data(item) for item in value.items]}
    return value


def _english(template: str) -> str:
    return template


def render(data, translate: Callable[[str], str] | None = None) -> str:
    """The sentence from a message's stored form (as_data), its templates translated by `translate`."""
    translate = translate or _english
    if isinstance(data, dict) and "template" in data:
        params = {key: render(value, translate) for key, value in (data.get("params") or {}).items()}
        template = str(data["template"])
        try:
            return translate(template) % params
        except (KeyError, TypeError, ValueError):  # a translation whose parameters do not fit: the English
            try:
                return template % params
            except (KeyError, TypeError, ValueError):  # not a template (a plain sentence with a "%")
                return template
    if isinstance(data, dict) and "join" in data:
        return str(data["join"]).join(render(item, translate) for item in data.get("items") or [])
    return str(data)


def templates(data) -> list[str]:
    """Every template in a message's stored form, nested ones included."""
    if isinstance(data, dict) and "template" in data:
        found = [data["template"]]
        for value in (data.get("params") or {}).values():
            found += templates(value)
        return found
    if isinstance(data, dict) and "join" in data:
        return [t for item in data.get("items") or [] for t in templates(item)]
    return []


def message(template: str, **params) -> Message:
    """message(gettext_noop("%(path)s is not valid YAML."), path=path)"""
    return Message(template, params)
