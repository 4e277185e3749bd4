"""Bookings around the design: pure rules, no web, database or clock (``now`` is always passed in).

* ``services``     service types (codes, durations, buffers, what a booking needs) and ``BookingRules``
* ``availability`` working hours, exceptions, bookable slots on a fixed UTC grid, slot keys and cells
* ``rules``        booking creation checks, state machine per role, cancel, reschedule, decline,
                   arrival, completion, issues, design sharing
* ``ratings``      ratings and follow-up cases
* ``search``       designer search and ranking, installer teams by district
* ``measurement``  measured room vs plan, the measured revision, approval and the order gate
* ``outbox``       notification texts (en, zh-Hans), retry schedule, senders
"""
