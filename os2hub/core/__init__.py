"""The ground floor: what every app shares and that imports no app of OS2hub (see docs/architecture.md).

- `workflow`: TransitionConflict, the refusal of a step that the state of the data no longer allows;
- `money`, `addresses`, `text`, `markdown`, `htmx`: amounts in DKK, public web addresses, the checks of free
  text, user Markdown made safe, and the page-or-fragment choice.
"""
