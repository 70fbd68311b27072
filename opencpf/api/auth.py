from ninja.security import HttpBearer

from opencpf.accounts.selectors import user_by_api_key


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>` from POST /api/v1/auth/token."""

    def authenticate(self, request, token):
        user = user_by_api_key(token)
        if user is not None:
            request.user = user
        return user


bearer = BearerAuth()
