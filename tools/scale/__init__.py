"""The scale data set: a realistic network at a chosen size, loaded by COPY.

``manage.py load_scale_data`` drives :class:`tools.scale.loader.Loader`; the text
banks live in :mod:`tools.scale.text` and the COPY helpers in :mod:`tools.scale.bulk`.
"""
