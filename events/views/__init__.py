"""Event pages by audience: ``member`` (lists, the event page, registering),
``public`` (no sign-in), ``coordinator`` (running an event), ``exports`` (CSV of
registrations) and ``calendars`` (.ics feeds). ``common`` holds what they share."""
