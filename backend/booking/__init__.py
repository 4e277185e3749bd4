"""Bookings around the design (the service loop): a newcomer's map of the whole feature.

This package is the pure core: rules only, no web, database or clock (``now`` is always passed in).
The other layers follow one naming scheme: the feature's main module is ``bookings.py`` (as
``orders.py`` is for orders), every other module outside this package is ``booking_<what>.py``.

Core (``backend/booking/``)

* ``service_types`` service types (codes, performers, durations, buffers, what a booking needs) and
                    ``BookingRules``
* ``availability``  working hours, exceptions, bookable slots on a fixed UTC grid, slot keys and cells
* ``rules``         the booking records (``BookingChoice`` → ``BookingRequest`` → ``Booking``), creation
                    checks, the state machine per role, cancel, reschedule, decline, arrival, completion,
                    issues, design sharing
* ``ratings``       ratings and follow-up cases
* ``search``        designer search and ranking, installer teams by district
* ``measurement``   measured room vs plan, the measured revision, approval and the order gate
* ``outbox``        notification texts (en, zh-Hans, ``messages.json``), retry schedule, senders

Roles (``Role``), order statuses and after-sales request kinds/statuses are in ``backend/enums.py``.

Use cases (``backend/services/``)

* ``bookings``             create, change, rate, follow-up cases, after-sales service requests
* ``booking_resources``    designers and installer teams as bookable resources: profiles, hours,
                           free slots, search, time zones
* ``booking_measurements`` record a home measurement, the measured revision, its approval
* ``booking_views``        what the booking pages show beside the bookings
* ``booking_demo``         demo designers, hours and an installer team
* ``notifications``        the outbox in the database and its delivery (shared with accounts)

Database (``backend/db/booking_tables.py``): profiles, teams, hours, bookings and their grid cells,
ratings, cases, measurements, approvals, outbox, service requests (migration ``0002_booking``).

Web (``backend/web/``)

* ``api/bookings.py``    the JSON API; ``booking_schemas.py`` its request and response bodies
* ``booking_pages.py``   the pages; templates in ``frontend/templates/booking/``

Tests: ``tests/booking/`` (core), ``tests/web/test_booking_api.py``, ``tests/web/test_booking_pages.py``.
"""
