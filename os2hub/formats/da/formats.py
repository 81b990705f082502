"""OS2hub's one date and one date-and-time format in Danish: "7. december 2026" and "7. december 2026 kl. 14.30".

Templates and code name them (`|date:"DATE_FORMAT"`, `|date:"DATETIME_FORMAT"`, `date_format(x, "DATE_FORMAT")`),
never a pattern of their own (tests/test_visual_finish.py). The short formats are the same on purpose: a page
shows a date one way. Input formats are Django's Danish ones (27.11.2026 and 2026-11-27 are both read)."""

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
TIME_FORMAT = "H.i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
