"""OS2hub's one date and one date-and-time format in English: "7 December 2026" and "7 December 2026, 14:30"
(British order and the 24-hour clock, as a Danish public-sector site writes English). See ../da/formats.py."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j F"
