"""The repository scanner (issue 5, in progress): a pure library, no Django import.

`targets` decides whether a target may be scanned at all and fetches remote ones safely; `files` reads a
checkout without ever following a link out of it. The checks and the `os2hub-scan` command build on these.
"""
