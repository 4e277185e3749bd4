"""Designs and their immutable revisions, with optimistic concurrency on the revision number."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import event, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from backend.configurator import wording
from backend.configurator.wording import Gettext
from backend.db import tables
from backend.db.engine import EncodedJSON
from backend.design import regional
from backend.design.model import Design, DesignSettings
from backend.enums import Role
from backend.errors import Conflict, InvalidInput, NotFound
from backend.services import policy
from backend.services.actor import Actor
from backend.services.catalog import catalog as get_catalog


@dataclass(frozen=True)
class DesignView:
    row: tables.Design
    document: Design
    can_edit: bool


class RevisionDocuments:
    """The validated documents of recently loaded or saved revisions, per process, by (design id, revision
    number). A committed revision never changes and a Design is frozen, so an entry is never stale and may
    be shared: loading the latest revision again costs no revision query, no JSON decoding and no
    validation. What a transaction saw or wrote enters only once it has committed (a rolled-back save
    never does: its number may later hold another document). Least recently used entries go first; each
    holds one document (tens of KB of JSON)."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, int], Design] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, db: Session, design_id: str, number: int) -> Design | None:
        key = (design_id, number)
        pending = db.info.get(_PENDING)
        if pending and key in pending:
            return pending[key]  # type: ignore[no-any-return]
        with self._lock:
            doc = self._entries.get(key)
            if doc is not None:
                self._entries.move_to_end(key)
            return doc

    def put(self, db: Session, design_id: str, number: int, doc: Design) -> None:
        """Remember ``doc`` once ``db``'s transaction commits."""
        db.info.setdefault(_PENDING, {})[(design_id, number)] = doc

    def publish(self, entries: dict[tuple[str, int], Design]) -> None:
        with self._lock:
            for key, doc in entries.items():
                self._entries[key] = doc
                self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_PENDING = "roomwright.revision_documents"
documents = RevisionDocuments()


@event.listens_for(Session, "after_commit")
def _publish_documents(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        documents.publish(pending)


@event.listens_for(Session, "after_soft_rollback")  # any rollback, a savepoint's too: forget rather than guess
def _forget_documents(session: Session, *_transaction: object) -> None:
    session.info.pop(_PENDING, None)


def parse_document(data: Any) -> Design:
    """Validate a document; problems name the offending field (``plan.walls.0.start``)."""
    if isinstance(data, Design):
        return data
    try:
        return Design.model_validate(data)
    except ValidationError as exc:
        raise invalid_from_validation(exc, prefix="document") from exc


def invalid_from_validation(exc: ValidationError, prefix: str = "") -> InvalidInput:
    errors = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in (prefix, *err["loc"]) if p != "")
        message = err["msg"].removeprefix("Value error, ")
        errors.append({"field": loc, "message": message})
    first = errors[0]
    return InvalidInput(f"{first['field']}: {first['message']}", field=first["field"], extra={"errors": errors})


def _count_rooms_and_cabinets(doc: Design) -> tuple[int, int]:
    return len(doc.plan.rooms), len(doc.cabinets)


def list_designs(db: Session, actor: Actor) -> list[tables.Design]:
    query = policy.visible_designs(actor).order_by(tables.Design.updated_at.desc(), tables.Design.id)
    return list(db.scalars(query))


def get_design_row(db: Session, actor: Actor, design_id: str) -> tables.Design:
    row = db.scalar(policy.visible_designs(actor).where(tables.Design.id == design_id))
    if row is None:
        raise NotFound(f"no design '{design_id}' that you can see", field="design_id")
    return row


def get_revision(db: Session, design_id: str, number: int) -> tables.DesignRevision:
    rev = db.scalar(
        select(tables.DesignRevision).where(
            tables.DesignRevision.design_id == design_id, tables.DesignRevision.number == number
        )
    )
    if rev is None:
        raise NotFound(f"design '{design_id}' has no revision {number}", field="revision")
    return rev


def revision_document(db: Session, design_id: str, number: int) -> Design:
    """The document of a revision, validated (from the per-process cache when it was seen lately)."""
    doc = documents.get(db, design_id, number)
    if doc is None:
        doc = Design.model_validate(get_revision(db, design_id, number).document)
        documents.put(db, design_id, number, doc)
    return doc


def get_design(db: Session, actor: Actor, design_id: str) -> DesignView:
    row = get_design_row(db, actor, design_id)
    doc = revision_document(db, row.id, row.current_revision)
    return DesignView(row, doc, policy.can_edit_design(db, actor, row))


def regional_settings(db: Session, actor: Actor, locale: str | None = None) -> DesignSettings:
    """A new design's region (rule pack) and currency: from the store's time zone when started in a store,
    else the person's saved language, else the page's (``regional.region_for``); the currency is the
    region's only if the catalog has prices in it (today's catalog prices in one currency)."""
    store = db.get(tables.Store, actor.store_id) if actor.store_id else None
    user = db.get(tables.User, actor.id)
    region = regional.region_for((user.locale if user else None) or locale, store.timezone if store else None)
    catalog = get_catalog()
    currency = regional.currency_for(region, priced_currencies(), catalog.currency)
    return DesignSettings.model_validate({"region": region, "currency": currency})


def priced_currencies() -> tuple[str, ...]:
    """The currencies the catalog has prices in (one: prices are never converted)."""
    return (get_catalog().currency,)


def update_settings(db: Session, actor: Actor, design_id: str, base_revision: int, region: str,
                    currency: str) -> DesignView:
    """Change a design's region (its rule pack) and currency, as a new revision. A currency the catalog has
    no prices in is refused naming ``settings.currency``; an unknown region names ``settings.region``."""
    view = get_design(db, actor, design_id)
    if region not in regional.REGIONS or region not in get_catalog().rule_packs:
        raise InvalidInput(f"no rule pack for region '{region}'", field="settings.region")
    if currency not in priced_currencies():
        raise InvalidInput(f"the catalog has no prices in {currency}; it prices in "
                           f"{', '.join(priced_currencies())}", field="settings.currency")
    data = view.document.model_dump(mode="json")
    data["settings"] = {**data["settings"], "region": region, "currency": currency}
    return save_design(db, actor, design_id, base_revision, data,
                       message=Message("settings", {"region": region, "currency": currency}))


def create_design(db: Session, actor: Actor, name: str | None = None, document: Any = None,
                  locale: str | None = None) -> DesignView:
    if actor.role not in (Role.HOMEOWNER, Role.DESIGNER, Role.STORE_MANAGER, Role.ADMIN):
        raise NotFound("designs are not available for this account")
    doc = parse_document(document) if document is not None else Design(settings=regional_settings(db, actor, locale))
    if name is not None:
        doc = parse_document({**doc.model_dump(), "name": name})
    rooms, cabinets = _count_rooms_and_cabinets(doc)
    row = tables.Design(
        owner_id=actor.id, name=doc.name, current_revision=1, schema_version=doc.schema_version,
        room_count=rooms, cabinet_count=cabinets,
    )
    db.add(row)
    db.flush()
    db.add(tables.DesignRevision(design_id=row.id, number=1, document=doc.model_dump(mode="json"),
                                 author_id=actor.id, message=Message("created").english(), message_key="created",
                                 message_params={}))
    db.flush()
    documents.put(db, row.id, 1, doc)
    return DesignView(row, doc, True)


@dataclass(frozen=True)
class Message:
    """A message the system gives a revision: a key of ``backend.configurator.wording.REVISIONS`` and its
    parameters, stored as they are and worded in each reader's language (:func:`revision_message`)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return wording.render_revision(self.key, self.params)[:500]


def revision_message(rev: tables.DesignRevision, gettext: Gettext | None = None) -> str:
    """A revision's message as the reader reads it: a system message in the language of ``gettext``
    (English without), a person's own words as they wrote them, an old row's stored text."""
    if rev.message_key:
        return wording.render_revision(rev.message_key, rev.message_params, gettext or str)
    return rev.message


def save_design(
    db: Session, actor: Actor, design_id: str, base_revision: int, document: Any, message: str | Message = "",
    history: dict[str, Any] | None = None,
) -> DesignView:
    """Store ``document`` as revision ``base_revision + 1``; ``message`` is a person's words (kept as
    they are) or a system :class:`Message` (worded for each reader).

    A stale base (somebody saved since) raises Conflict carrying the current revision; nothing
    is written. The conditional UPDATE and the unique (design, number) constraint make this safe
    under concurrent writers on SQLite and PostgreSQL alike.
    """
    row = get_design_row(db, actor, design_id)
    if not policy.can_edit_design(db, actor, row):
        raise NotFound(f"no design '{design_id}' that you can edit", field="design_id")
    doc = parse_document(document)
    if base_revision != row.current_revision:
        raise _stale(row.current_revision, base_revision)
    new_number = base_revision + 1
    rooms, cabinets = _count_rooms_and_cabinets(doc)
    values = {"current_revision": new_number, "name": doc.name, "updated_at": tables.utcnow(),
              "room_count": rooms, "cabinet_count": cabinets, "schema_version": doc.schema_version}
    result = db.execute(
        update(tables.Design)
        .where(tables.Design.id == design_id, tables.Design.current_revision == base_revision)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 1) != 1:
        db.rollback()
        current = db.scalar(select(tables.Design.current_revision).where(tables.Design.id == design_id))
        raise _stale(int(current or 0), base_revision)
    # The row is now locked by this transaction (PostgreSQL) or the database is (SQLite), so no other
    # writer can insert this number before the commit; the unique constraint still stands guard, and a
    # failure rolls the whole request back (no savepoint needed for that: nothing else is kept).
    key, params, text = ((message.key, message.params, message.english()) if isinstance(message, Message)
                         else (None, None, message[:500]))
    try:  # an INSERT of the document as pydantic encodes it; no row object kept in the session
        db.execute(insert(tables.DesignRevision), [{
            "design_id": design_id, "number": new_number, "document": EncodedJSON(doc.model_dump_json()),
            "author_id": actor.id, "message": text, "message_key": key, "message_params": params,
            "history": history}])
    except IntegrityError as exc:
        db.rollback()
        raise _stale(new_number, base_revision) from exc
    for name, value in values.items():  # what the UPDATE wrote, without reading the row back
        set_committed_value(row, name, value)
    documents.put(db, design_id, new_number, doc)
    return DesignView(row, doc, True)


HISTORY_DEPTH = 50
"""How many steps of undo (and of redo) a revision keeps for the editor."""


def next_history(previous: dict[str, Any] | None, step: str, command: dict[str, Any],
                 inverse: dict[str, Any]) -> dict[str, Any]:
    """The editor's stacks after applying ``command`` (whose inverse is ``inverse``) as ``step``:
    "edit" (a new change: redo is dropped), "undo" (the top of the undo stack) or "redo" (the top of the
    redo stack). A claimed undo or redo that is not the top of its stack counts as a new edit, so the
    stored stacks only ever hold commands that lead from this revision's document."""
    undo = list((previous or {}).get("undo", []))
    redo = list((previous or {}).get("redo", []))
    if step == "undo" and undo and undo[-1] == command:
        undo, redo = undo[:-1], [*redo, inverse]
    elif step == "redo" and redo and redo[-1] == command:
        undo, redo = [*undo, inverse], redo[:-1]
    else:
        undo, redo = [*undo, inverse], []
    return {"undo": undo[-HISTORY_DEPTH:], "redo": redo[-HISTORY_DEPTH:]}


def _stale(current: int, base: int) -> Conflict:
    return Conflict(
        f"this design was saved by someone else in the meantime (you edited revision {base}, the latest is "
        f"{current}); reload it, re-apply your change and save again. Your version was not saved over theirs.",
        field="base_revision",
        extra={"current_revision": current, "base_revision": base},
    )


def rename_design(db: Session, actor: Actor, design_id: str, base_revision: int, name: str) -> DesignView:
    view = get_design(db, actor, design_id)
    data = view.document.model_dump()
    data["name"] = name
    return save_design(db, actor, design_id, base_revision, data, message=Message("renamed", {"name": name[:400]}))


def restore_revision(db: Session, actor: Actor, design_id: str, number: int, base_revision: int) -> DesignView:
    """Restore revision ``number`` from the history: a new revision whose document equals it (nothing is
    lost: the revisions after it stay in the history). 409 when ``base_revision`` is stale, as any save."""
    row = get_design_row(db, actor, design_id)
    old = get_revision(db, row.id, number)
    return save_design(db, actor, design_id, base_revision, old.document,
                       message=Message("restored", {"number": number}))


def list_revisions(db: Session, actor: Actor, design_id: str) -> list[tables.DesignRevision]:
    row = get_design_row(db, actor, design_id)
    query = (select(tables.DesignRevision).where(tables.DesignRevision.design_id == row.id)
             .order_by(tables.DesignRevision.number.desc()))
    return list(db.scalars(query))


def author_names(db: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = db.execute(select(tables.User.id, tables.User.display_name).where(tables.User.id.in_(ids)))
    return {uid: name for uid, name in rows}


def share_design(db: Session, actor: Actor, design_id: str, email: str, reason: str = "explicit") -> tables.DesignShare:
    """The owner (or an admin) shares a design with a designer or store manager."""
    row = get_design_row(db, actor, design_id)
    if row.owner_id != actor.id and actor.role != Role.ADMIN:
        raise NotFound(f"no design '{design_id}' that you own", field="design_id")
    target = db.scalar(select(tables.User).where(tables.User.email == email.strip().lower()))
    if target is None or target.role not in (Role.DESIGNER, Role.STORE_MANAGER):
        raise InvalidInput("designs can be shared with a designer's account email", field="email")
    existing = db.scalar(select(tables.DesignShare).where(
        tables.DesignShare.design_id == row.id, tables.DesignShare.user_id == target.id))
    if existing is not None:
        existing.ends_at = None
        return existing
    share = tables.DesignShare(design_id=row.id, user_id=target.id, reason=reason)
    db.add(share)
    db.flush()
    return share


def unshare_design(db: Session, actor: Actor, design_id: str, user_id: str) -> None:
    row = get_design_row(db, actor, design_id)
    if row.owner_id != actor.id and actor.role != Role.ADMIN:
        raise NotFound(f"no design '{design_id}' that you own", field="design_id")
    share = db.scalar(select(tables.DesignShare).where(
        tables.DesignShare.design_id == row.id, tables.DesignShare.user_id == user_id))
    if share is None:
        raise NotFound("this design is not shared with that user", field="user_id")
    share.ends_at = tables.utcnow()
