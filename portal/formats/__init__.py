"""The portal's date formats, per language (settings.FORMAT_MODULE_PATH).

Templates name a format instead of spelling a pattern, `{{ when|date:"LONG_DATETIME_FORMAT" }}`,
so each language can order and word its dates as it does. Django looks a name up here first,
then in its own locale formats. Every name a template uses is defined for every language the
portal offers (a name found nowhere would be printed as a pattern of letters); a test checks it.
Both languages keep a 24-hour clock: it is how the portal's events have always been shown.
"""
