"""Choosing members in a form by their email address.

A select of every approved member would hold hundreds of thousands of names once
every council's officers are here, and a page that size is unusable; an address
names one member exactly, and anyone can find it in People or ask for it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .models import Member


def _addresses(text: str) -> list[str]:
    words = text.replace(",", " ").replace(";", " ").split()
    return list(dict.fromkeys(word.strip().lower() for word in words if word.strip()))


class MembersByEmailField(forms.CharField):
    """Approved members named by email address: a list in the order typed, or
    with ``many=False`` one member (or None). Unknown addresses are an error that
    names them, and the form keeps what was typed."""

    def __init__(self, *, many: bool = True, **kwargs):
        self.many = many
        kwargs.setdefault(
            "widget",
            forms.Textarea(attrs={"rows": 2}) if many else forms.EmailInput(),
        )
        kwargs.setdefault(
            "help_text",
            _("Email addresses, one a line.") if many else _("Their email address."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        """Members, their ids (a model form's initial) or typed text, as text."""
        if value is None or isinstance(value, str):
            return value or ""
        values = value if isinstance(value, list | tuple) else [value]
        ids = [v for v in values if isinstance(v, int)]
        by_id = dict(Member.objects.filter(pk__in=ids).values_list("pk", "email"))
        emails = [by_id.get(v, "") if isinstance(v, int) else v.email for v in values]
        return "\n".join(email for email in emails if email)

    def has_changed(self, initial, data):
        before = _addresses(self.prepare_value(initial) or "")
        after = _addresses(data or "")
        return set(before) != set(after) if self.many else before != after

    def clean(self, value):
        text = super().clean(value)
        addresses = _addresses(text or "")
        if not self.many and len(addresses) > 1:
            raise ValidationError(_("Give one email address."))
        found = {
            member.email.lower(): member
            for member in Member.objects.approved()
            .annotate(email_lower=Lower("email"))  # the unique index's expression
            .filter(email_lower__in=addresses)
        }
        unknown = [address for address in addresses if address not in found]
        if unknown:
            raise ValidationError(
                _(
                    "No approved member has the address %(addresses)s. Check the "
                    "spelling, or find them in People."
                )
                % {"addresses": ", ".join(f"“{address}”" for address in unknown)}
            )
        members = [found[address] for address in addresses]
        if self.many:
            return members
        return members[0] if members else None
