"""The scale data set: a realistic network at a chosen size, loaded by COPY.

``manage.py load_scale_data`` drives :class:`tools.scale.loader.Loader`; the word
lists are text files in ``words/`` (read by :mod:`tools.scale.wordlists`), the
sentences and documents made from them come from :mod:`tools.scale.text`, and the
COPY helpers are in :mod:`tools.scale.bulk`.
"""
