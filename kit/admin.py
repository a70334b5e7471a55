"""Procrastinate's job list, made to hold up as the jobs table grows."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django import admin as procrastinate_admin
from procrastinate.contrib.django.models import ProcrastinateJob

from .admin_scale import IndexedSearchAdmin

admin.site.unregister(ProcrastinateJob)


@admin.register(ProcrastinateJob)
class JobAdmin(IndexedSearchAdmin, procrastinate_admin.ProcrastinateJobAdmin):
    """Procrastinate's own admin, but its filters on the queue, task, locks and
    priority listed the distinct values of the whole jobs table (five scans a
    page, and a link per lock, that is per job): the status and the scheduled
    time are fixed choices; a queue, or a job by number, is searched."""

    list_filter = ["status", "scheduled_at"]
    search_fields = ["queue_name"]
    search_help_text = _("A queue's exact name, or a job's number.")
    ordering = ["-id"]

    def indexed_search(self, queryset, term):
        if term.isdigit():
            return queryset.filter(pk=int(term))
        return queryset.filter(queue_name=term)
