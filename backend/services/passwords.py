"""Password hashing with argon2id (argon2-cffi's PasswordHasher; its defaults follow RFC 9106's
second recommended option). Tests may switch to cheaper parameters with ``use_parameters``.

Common passwords are refused: the list is zxcvbn's (the Python port of Dropbox's estimator), the
30,000 most frequent passwords of the leaked-password corpus it was built from."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()
_dummy_hashes: dict[tuple[int, int, int], str] = {}


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


def verify_nothing(password: str) -> None:
    """Spend the time of one verification without an account (unknown e-mail), so that the answer
    takes as long as for a known one and timing tells nobody which e-mails have accounts."""
    hasher = _hasher
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    dummy = _dummy_hashes.get(key)
    if dummy is None:
        dummy = _dummy_hashes.setdefault(key, hasher.hash("no account has this password"))
    verify_password(dummy, password)


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """Whether the password (in any letter case, surrounding spaces aside) is on the common list."""
    return password.strip().lower() in _common()
