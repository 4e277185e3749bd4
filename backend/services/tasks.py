"""Every job kind and the function that does it: the one registry the in-process runner and the queue's
workers look tasks up in (a queued message names its job, whose record names the kind)."""

from __future__ import annotations

from backend.jobs import Task
from backend.services.floorplans import vectorize_task
from backend.services.order_views import nesting_task
from backend.services.packages import package_task
from backend.services.proposals import proposal_task
from backend.services.renders import render_task

TASKS: dict[str, Task] = {
    "vectorize": vectorize_task,
    "package": package_task,
    "nesting": nesting_task,
    "proposal": proposal_task,
    "render": render_task,
}
