"""Password hashing with argon2id (argon2-cffi's PasswordHasher; its defaults follow RFC 9106's
second recommended option). Tests may switch to cheaper parameters with ``use_parameters``."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


def use_parameters(time_cost: int, memory_cost_kib: int, parallelism: int = 1) -> None:
    """Replace the hashing parameters (existing hashes still verify: argon2 stores its parameters)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False
