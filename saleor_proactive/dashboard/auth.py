"""Who is calling the merchant API: the Dashboard's user token, verified against the installation.

The Dashboard hands the app page a short-lived RS256 JWT signed with the Saleor's key. We verify
it against the installation's JWKS (cached by the protocol area, refetched there on an unknown
`kid`), pin the algorithm, require `exp`, and check that `iss` is the installation's API URL and
`app` its app id. Anything else is a 401 and nothing runs.
"""

from __future__ import annotations

from typing import Any, Protocol

import jwt
from jwt.algorithms import RSAAlgorithm
from sqlalchemy.orm import Session

from ..errors import ApiError
from ..saleor.signatures import JwksError, fetch_jwks
from ..store.installations import get_installation, may_refetch_jwks, store_jwks
from ..store.models import Installation
from .merchant import MerchantContext
from .token_limit import MAX_TOKEN_LENGTH

WRITE_PERMISSION = "MANAGE_APPS"
# Tolerated clock difference between Saleor and us when checking `exp`.
LEEWAY_SECONDS = 5


class Headers(Protocol):
    def get(self, key: str) -> str | None: ...


def unauthorized(message: str, code: str = "invalid_token") -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": 'Bearer realm="saleor"'})


def forbidden_write() -> ApiError:
    return ApiError(
        403, "permission_denied", f"Changing settings needs the {WRITE_PERMISSION} permission."
    )


def bearer_token(headers: Headers) -> str:
    """The JWT from `Authorization-Bearer: <jwt>` or `Authorization: Bearer <jwt>`."""
    token = (headers.get("Authorization-Bearer") or "").strip()
    if not token:
        scheme, _, value = (headers.get("Authorization") or "").strip().partition(" ")
        token = value.strip() if scheme.lower() == "bearer" else ""
    if not token:
        raise unauthorized("A Dashboard token is required.", code="missing_token")
    if len(token) > MAX_TOKEN_LENGTH:
        raise unauthorized("The token is too long.")
    return token


def authenticate(session: Session, headers: Headers) -> MerchantContext:
    """Verify the request's Dashboard token, or raise a 401 `ApiError`."""
    token = bearer_token(headers)
    api_url = (headers.get("Saleor-Api-Url") or "").strip()
    if not api_url:
        raise unauthorized("The Saleor-Api-Url header is required.", code="missing_saleor_api_url")
    installation = get_installation(session, api_url)
    if installation is None:
        raise unauthorized("This Saleor has not installed the app.", code="unknown_installation")
    claims = verify_token(session, installation, token)
    permissions = claims.get("user_permissions")
    can_write = isinstance(permissions, list) and WRITE_PERMISSION in permissions
    email = claims.get("email")
    return MerchantContext(
        installation_id=installation.id,
        saleor_api_url=installation.saleor_api_url,
        can_write=can_write,
        user_email=email if isinstance(email, str) else None,
    )


def verify_token(session: Session, installation: Installation, token: str) -> dict[str, Any]:
    """The token's claims if Saleor signed it for this app in this installation."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise unauthorized("The token is not a JWT.") from None
    if header.get("alg") != "RS256":
        raise unauthorized("The token must be signed with RS256.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise unauthorized("The token has no key id.")
    key = signing_key(session, installation, kid)
    if key is None:
        raise unauthorized("The token was not signed by this Saleor.")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            issuer=installation.saleor_api_url,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iss"], "verify_aud": False},
        )
    except jwt.ExpiredSignatureError:
        raise unauthorized("The token has expired.", code="token_expired") from None
    except jwt.PyJWTError:
        raise unauthorized("The token does not verify for this Saleor.") from None
    if claims.get("app") != installation.app_id:
        raise unauthorized("The token was issued to another app.")
    return claims


def signing_key(session: Session, installation: Installation, kid: str) -> Any | None:
    """The RSA key `kid` from the installation's cached JWKS.

    An unknown `kid` (Saleor rotated its key) refetches the JWKS once, at most once a minute per
    installation (the protocol area's limit, shared with webhooks), so forged tokens cannot make
    us hammer that Saleor.
    """
    key = _key_in(installation.jwks, kid)
    if key is not None or not may_refetch_jwks(installation):
        return key
    try:
        jwks: dict[str, Any] | None = fetch_jwks(installation.saleor_api_url)
    except JwksError:
        jwks = None
    store_jwks(session, installation, jwks)
    session.commit()  # the attempt counts for the rate limit even if the token is refused
    return _key_in(jwks, kid) if jwks is not None else None


def _key_in(jwks: Any, kid: str) -> Any | None:
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    for jwk in keys if isinstance(keys, list) else []:
        if isinstance(jwk, dict) and jwk.get("kid") == kid and jwk.get("kty") == "RSA":
            try:
                return RSAAlgorithm.from_jwk(jwk)
            except (jwt.PyJWTError, ValueError, TypeError, KeyError):
                return None
    return None
