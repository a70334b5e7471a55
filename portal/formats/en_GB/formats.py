"""British English dates, exactly as the portal has always shown them."""

# Django's own names, where Django's en_GB differs from what the portal shows.
YEAR_MONTH_FORMAT = "F Y"  # March 2027

# The portal's names (see portal/formats/__init__.py).
LONG_DATE_FORMAT = "l j F Y"  # Monday 15 March 2027
LONG_DATETIME_FORMAT = "l j F Y, H:i"  # Monday 15 March 2027, 10:00
MEDIUM_DATE_FORMAT = "j F Y"  # 15 March 2027
MEDIUM_DATETIME_FORMAT = "j F Y, H:i"  # 15 March 2027, 10:00
BRIEF_DATE_FORMAT = "j M Y"  # 15 Mar 2027
BRIEF_DATETIME_FORMAT = "j M Y, H:i"  # 15 Mar 2027, 10:00
STAMP_DATETIME_FORMAT = "j M Y H:i"  # 15 Mar 2027 10:00, in lists of posts and logs
BRIEF_YEAR_MONTH_FORMAT = "M Y"  # Mar 2027
CLOCK_FORMAT = "H:i"  # 10:00
