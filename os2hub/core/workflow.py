"""Workflows: the status of a thing moves only along its declared transitions.

TransitionConflict is the one refusal every workflow raises when the current state does not allow a step, for
example when someone else decided first; pages show it as a message, the API answers 409.
"""


class TransitionConflict(Exception):
    """The object was not in a state that allows this step (for example someone else decided first)."""
