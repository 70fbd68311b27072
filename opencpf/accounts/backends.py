from django.contrib.auth.backends import ModelBackend

from opencpf.accounts.selectors import user_by_identifier

# `owner` left out: the backend looks the account up itself.
NOT_LOOKED_UP = object()


class NirOrEmailBackend(ModelBackend):
    """Sign in with an email address or a NIR and the password."""

    def authenticate(self, request, username=None, password=None, owner=NOT_LOOKED_UP, **kwargs):
        """`owner`: the account of `username` (or None) when the caller already looked it up (the sign-in does,
        for its locks), so that it is not looked up twice."""
        user = user_by_identifier(username or kwargs.get("email") or "") if owner is NOT_LOOKED_UP else owner
        if user is None:
            # Same work whether or not the account exists, so timing does not tell.
            self.user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        # Every signed-in page of a holder needs the holder: one query instead of two.
        user = self.user_model.objects.select_related("holder").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    @property
    def user_model(self):
        from opencpf.accounts.models import User

        return User
