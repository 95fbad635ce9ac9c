"""Request checks that apply before any view."""

import re

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers

# C0 control characters and DEL, less tab, line feed and carriage return (pasted text has them).
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RejectUnprintableAdminInput:
    """
    The admin and the third-party views inside it (autocomplete, history)
    pass URL parts and query values to the database as they come; PostgreSQL
    refuses a NUL byte with an error, which would be a 500. Refuse such input
    with a 400 that says why, before any view runs. The public pages and the
    exports validate their own parameters through their forms.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if request.path.startswith(self.prefix) and self._unprintable(request):
            body = render_to_string(
                "400.html",
                {"message": "The address holds a control character (such as a NUL byte); remove it and try again."},
                request,
            )
            return HttpResponseBadRequest(body)
        return self.get_response(request)

    @staticmethod
    def _unprintable(request):
        if UNPRINTABLE.search(request.path):
            return True
        return any(
            UNPRINTABLE.search(key) or any(UNPRINTABLE.search(value) for value in values)
            for key, values in request.GET.lists()
        )


class PrivateForLoggedIn:
    """
    Whatever a logged-in user is shown (blinded ratings, drafts, the admin) is
    for them alone: unless a view said otherwise, the response tells browsers
    and any proxy in front not to keep it, and varies on the session cookie.
    Public pages say so themselves (public/caching.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_vary_headers(response, ("Cookie",))
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_store=True)
        return response
