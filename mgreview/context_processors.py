from django.conf import settings

from claims.policy import is_lead, is_reviewer


def site(request):
    """Site name and the current user's role, for the navigation in base.html."""
    user = getattr(request, "user", None)
    return {
        # Not "site_name": Django's auth views (login, password reset) put the request's
        # host in the context under that name, and a view's context wins.
        "organisation_name": settings.MGREVIEW_ORGANISATION,
        "user_is_reviewer": is_reviewer(user),
        "user_is_lead": is_lead(user),
    }
