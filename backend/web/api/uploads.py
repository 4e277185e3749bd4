"""Uploads: images checked for size, type and integrity, stored by content hash."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile, status

from backend.errors import NotFound, PayloadTooLarge
from backend.services import policy
from backend.services import uploads as svc
from backend.web.deps import ActorDep, DbDep, SettingsDep, StoreDep
from backend.web.schemas import UploadOut

if TYPE_CHECKING:
    from backend.db.tables import Upload
    from backend.storage import FileStore

router = APIRouter(prefix="/api", tags=["uploads"])


def read_limited(file: UploadFile, limit: int) -> bytes:
    """Read at most ``limit`` bytes; refuse (413) as soon as more arrive, without buffering it all.

    Synchronous on purpose: it runs in the handler's worker thread, like the image check and the
    database write after it (handlers that decode images are plain ``def``, never on the event loop)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := file.file.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the file is larger than the {limit / 1e6:.0f} MB limit", field="file",
                                  extra={"limit_bytes": limit})
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/uploads", status_code=status.HTTP_201_CREATED, response_model=UploadOut,
             responses={413: {"description": "too large"}, 415: {"description": "not an image"},
                        422: {"description": "damaged image"}})
def upload(request: Request, file: Annotated[UploadFile, File()], db: DbDep, actor: ActorDep,
           settings: SettingsDep, store: StoreDep) -> UploadOut:
    if not policy.may_upload(actor):
        raise NotFound("uploads are not available for this account")
    data = read_limited(file, settings.max_upload_bytes)
    limits = svc.UploadLimits(settings.max_upload_bytes, settings.max_upload_pixels)
    # decoding takes a while: a plain def runs in a worker thread, off the event loop (one large decode at a time)
    row = svc.store_upload(db, store, actor, data, file.filename or "", limits)
    return UploadOut.model_validate(row)


@router.get("/uploads/{upload_id}", response_model=UploadOut)
def upload_info(upload_id: str, db: DbDep, actor: ActorDep) -> UploadOut:
    return UploadOut.model_validate(svc.get_upload(db, actor, upload_id))


@router.get("/uploads/{upload_id}/content")
def upload_content(upload_id: str, db: DbDep, actor: ActorDep, store: StoreDep) -> Response:
    return image_response(store, svc.get_upload(db, actor, upload_id), "upload")


def image_response(store: FileStore, row: Upload, what: str) -> Response:
    """An uploaded image as a browser shows it (HEIC as JPEG), cached for good by its content hash; 404 when
    its file is missing. ``what`` names it in that answer (an upload, a booking's photo)."""
    if not store.exists(row.storage_key):
        raise NotFound(f"the file of this {what} is missing from storage", field="upload_id")
    data, media_type = svc.display_bytes(store.get(row.storage_key), row.content_type)
    # backend.web.security adds nosniff and a policy that allows nothing (sandbox): an image is never run
    return Response(data, media_type=media_type,
                    headers={"Cache-Control": "private, max-age=31536000, immutable", "ETag": f'"{row.sha256}"'})
