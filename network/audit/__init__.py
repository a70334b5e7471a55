"""The audit trail: who decided what about whom, and when, kept for good.

``record`` is the only writer; PostgreSQL refuses to change or delete a row once
written (a trigger, network/migrations/0019_audit_event.py). Every app may import
it: it lives on the ground floor and knows no feature app.
"""
