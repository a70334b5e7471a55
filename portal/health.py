"""/healthz/: what a load balancer or a monitor needs to know, and no data."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from kit.permissions import login_not_required

# One query: jobs waiting now, jobs that failed every try (kept, never dropped), and
# how long the oldest waiting job has waited since it was deferred.
QUEUE_QUERY = """
    SELECT count(*) FILTER (WHERE j.status = 'todo'),
           count(*) FILTER (WHERE j.status = 'failed'),
           coalesce(extract(epoch FROM now() - min(e.at) FILTER (
               WHERE j.status = 'todo'
               AND (j.scheduled_at IS NULL OR j.scheduled_at <= now())
           )), 0)
      FROM procrastinate_jobs j
      LEFT JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'deferred'
     WHERE j.status IN ('todo', 'failed')
"""


def queue_counts() -> dict:
    with connection.cursor() as cursor:
        # A database that answers but is stuck must not hold the check either.
        cursor.execute("SET statement_timeout = 2000")
        try:
            cursor.execute(QUEUE_QUERY)
            waiting, failed, oldest = cursor.fetchone()
        finally:
            cursor.execute("RESET statement_timeout")
    return {"waiting": waiting, "failed": failed, "oldest_waiting_s": int(oldest)}


@login_not_required
@never_cache
def healthz(request):
    """200 with the queue's counts when the database answers, 503 when it does not
    (within the connection timeout, 2 s); a database that comes back is used again
    on the next check, with no restart."""
    try:
        queue = queue_counts()
    except DatabaseError:
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok", "queue": queue})
