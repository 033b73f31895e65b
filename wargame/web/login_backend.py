"""Password logins go through django-axes' lockout (settings, "Logins").

Axes refuses any authentication that comes without a request, to be sure that no login
escapes its count. Only the site's and the admin's login forms take passwords from
clients, and they always pass the request; a call without one is this process checking
a password itself (a management command, a test), where there is no client to lock out,
so it is left to Django's ModelBackend.
"""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
