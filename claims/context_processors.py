from django.conf import settings

from .models import is_lead, is_reviewer


def site(request):
    """Site name and the current user's role, for the navigation in base.html."""
    user = getattr(request, "user", None)
    return {
        "site_name": settings.MGREVIEW_ORGANISATION,
        "user_is_reviewer": is_reviewer(user),
        "user_is_lead": is_lead(user),
    }
