"""
The client's address behind the reverse proxies of docs/deploy.md, for the login lockout.

Each proxy appends the address it received the request from to
X-Forwarded-For, so with N trusted proxies in front of the app the client's
real address is the N-th entry from the right; anything to its left was sent
by the client and may be forged. With no proxy (N = 0) the header is ignored
and the peer's address is used.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The address django-axes counts failed logins against (AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.MGREVIEW_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
