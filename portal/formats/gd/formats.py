"""Scottish Gaelic dates (a first version, for review by Gaelic speakers): day and
month names from Django's Gaelic catalogue, a 24-hour clock as in English."""

# Django's own Gaelic formats use a 12-hour clock ("h:ia"); the portal keeps 24 hours.
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"  # Am Màrt 2027

# The portal's names (see portal/formats/__init__.py).
LONG_DATE_FORMAT = "l j F Y"  # DiLuain 15 Am Màrt 2027
LONG_DATETIME_FORMAT = "l j F Y, H:i"  # DiLuain 15 Am Màrt 2027, 10:00
MEDIUM_DATE_FORMAT = "j F Y"
MEDIUM_DATETIME_FORMAT = "j F Y, H:i"
BRIEF_DATE_FORMAT = "j M Y"
BRIEF_DATETIME_FORMAT = "j M Y, H:i"
STAMP_DATETIME_FORMAT = "j M Y H:i"
BRIEF_YEAR_MONTH_FORMAT = "M Y"
CLOCK_FORMAT = "H:i"
