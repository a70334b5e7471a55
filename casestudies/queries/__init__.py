"""Reads the case-study pages (and other apps' pages) need. Every function returns
only what may be seen: published case studies unless a viewer is given.

One module per concern: ``search`` (the list, search and export), ``facets``,
``impact`` (the figures), ``pages`` (this app's pages), ``for_other_apps``;
``common`` holds what they share. Every name stays importable from here."""

from .common import (  # noqa: F401
    FACETS,
    HEAVY_COLUMNS,
    LIST_FIELDS,
    MARK_END,
    MARK_START,
    _apply_filters,
    _cached,
    _case_study_type_id,
    _count_of,
    _facet_key,
    _search_query,
    _snippet,
    catalogue_version,
)
from .facets import (  # noqa: F401
    ListFigures,
    _facet_counts,
    _list_figures,
    facet_counts,
    list_figures,
)
from .for_other_apps import (  # noqa: F401
    RECENT_CANDIDATES,
    case_studies_by,
    case_studies_for_driver,
    case_studies_for_organisation,
    count_for_organisation,
    members_for_topic,
    recent_case_studies_for,
)
from .impact import (  # noqa: F401
    _impact,
    driver_figures,
    impact_by_city,
    impact_by_theme,
    impact_figures,
    impact_outside,
    impact_totals,
)
from .pages import (  # noqa: F401
    HEADING_FIELDS,
    RELATED_CANDIDATES,
    case_study_for_reading,
    my_case_studies,
    related_case_studies,
    review_queue,
)
from .search import (  # noqa: F401
    EXPORT_CHUNK,
    EXPORT_FIELDS,
    RECENT_WINDOW,
    SEARCH_CANDIDATES,
    UNPUBLISHED_CANDIDATES,
    Listing,
    _recent_cutoff,
    _search_ids,
    case_studies_in_order,
    export_case_study_chunks,
    list_case_studies,
    list_ids,
    search_case_studies,
    search_for_role,
)
