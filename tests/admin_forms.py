"""Posting Django admin's change forms in tests."""

from django.forms import MultiWidget


def admin_form_data(response) -> dict:
    """What the admin change form posts as it stands (its fields, inlines'
    management forms), for a test to change one value of."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None or value is False:
            continue
        widget = getattr(field.widget, "widget", field.widget)  # unwrap "+" links
        if isinstance(widget, MultiWidget):  # a date and a time, say
            for n, part in enumerate(widget.decompress(value)):
                data[f"{name}_{n}"] = part
        elif value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            if hasattr(field, "queryset"):
                data[name] = [getattr(item, "pk", item) for item in value]
            else:
                data[name] = ",".join(str(item) for item in value)
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    return data
