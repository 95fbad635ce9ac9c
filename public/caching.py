"""
Public pages for repeat readers: conditional GETs, and a server cache for anonymous readers.

Every public page and both exports are wrapped in ``public_page`` (public/urls.py):

- **Anonymous readers** get an ETag derived from the data
  version (claims.models.DataVersion, advanced after every committed write
  that the public could see) and ``Cache-Control: public, no-cache``: a browser
  or a proxy in front may keep the page but must ask again each time, and the
  answer is a 304 while nothing has changed, so a 304 is never stale. There is
  no Last-Modified: dates have one-second precision, so two changes within a
  second would share one, and If-Modified-Since could then answer 304 to a
  reader holding the page from between them.
  HTML pages are also kept in Django's cache (settings.CACHES: local memory, or
  Redis when REDIS_URL is set), keyed on the release, the data version and the
  absolute URL, so a repeat reader costs one query (the version) and no
  rendering. The exports stream, so they are revalidated but not stored.
- **Logged-in users** (reviewers and leads) are never served from the cache
  and never fill it, whatever they may see: their responses carry
  ``Cache-Control: private, no-store``. Anything blinded is only ever shown to
  them, so nothing blinded enters the cache.
- Responses vary on ``Cookie``: a proxy must not hand an anonymous page to a
  logged-in reviewer or the other way round.

The version is read *before* the page is built, so a page is never stored
under a version newer than the data it shows.

**Pages ready before readers ask** (``settings.MGREVIEW_PAGE_CACHE_WARM``, on
by default with Redis). Every change moves the version of every page, so after
each one the pages readers are reading would be built again by the first
readers to ask, who wait, with everyone queued behind them. Instead, a request
that writes (a review form, the admin) builds them itself, between its commit
and its advance: claims/dataversion.py hands it the version about to become
current, it renders the pages readers asked for most lately (``_remember``: the
last reader to build a page, and one reader in HOT_SAMPLE of those served from
the cache, count reads of its address, fading with time) as an anonymous reader
with no cookies, and stores it under that version, up to WARM_PAGES pages or
WARM_SECONDS. Nobody can be served those pages before the version is current:
their key holds its token. If another change advances first, that version is
not the one made current, so they are never served. The data was committed
before they were rendered, so they show the change; readers meanwhile get the
pages of the version before, as they would have while the writer's request
was still running.
"""

import hashlib
import logging
import random
import threading
import time
from collections import OrderedDict
from functools import wraps
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag

from claims import dataversion
from claims.models import DataVersion

logger = logging.getLogger(__name__)

CACHEABLE_METHODS = {"GET", "HEAD"}
# After a change, many readers ask for the same page at once. With a cache shared between
# workers (Redis), the first builds it and the others wait for it, up to WAIT_SECONDS, then
# build it themselves; BUILD_SECONDS frees the marker of a build that died.
BUILD_SECONDS = 10
WAIT_SECONDS = 2.0
WAIT_STEP = 0.005
# The pages readers read lately, for a writer to build before they ask again (see the
# module's docstring): how many addresses are kept, for how long, how often a page served
# from the cache notes its address again, how fast an address's count of reads fades, and
# how much one change may build.
HOT_PAGES = 64
HOT_SECONDS = 300
HOT_SAMPLE = 32
HOT_HALF_LIFE = 60
WARM_PAGES = 16
WARM_SECONDS = 1.0


class RecentPages:
    """
    The pages this process served or stored lately, in front of the shared cache
    (settings.MGREVIEW_PAGE_CACHE_LOCAL_BYTES, least recently used dropped first). A key
    names one release, one data version and one address, and what is stored under it never
    changes, so a copy here is exactly as current as the shared one and costs no round trip
    to Redis and no unpickling.
    """

    def __init__(self):
        self._entries = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = settings.MGREVIEW_PAGE_CACHE_LOCAL_BYTES
        size = len(entry["content"])
        if not limit or size > limit:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old["content"])
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > limit:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped["content"])

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0


recent_pages = RecentPages()


def _stored(key):
    """The page stored under `key`: this process's copy, or the shared cache's (then copied)."""
    entry = recent_pages.get(key)
    if entry is None:
        entry = _cache().get(key)
        if entry is not None:
            recent_pages.put(key, entry)
    return entry


def _store(key, entry):
    _cache().set(key, entry)
    recent_pages.put(key, entry)


def _wait_for(key):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        entry = _stored(key)
        if entry is not None:
            return entry
        if _cache().get(f"{key}:building") is None:  # the build ended without storing (an error, too big)
            return None
    return None


def _cache():
    return caches[settings.MGREVIEW_PAGE_CACHE]


def _key(request, version, query=True):
    # Pages that read no query parameter are one page whatever the query string says: keyed
    # without it, `?x=1`, `?x=2`, … cannot each build the page again (a cheap way to load the server).
    url = request.build_absolute_uri() if query else request.build_absolute_uri(request.path)
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"page:{settings.MGREVIEW_RELEASE}:{version.token}:{digest}"


def _hot_key():
    return f"hot:{settings.MGREVIEW_RELEASE}"


def _remember(request, reads=1):
    """
    Count `reads` of the page's address among the pages read lately: a reader who built
    the page is one read, a sampled reader served from the cache stands for HOT_SAMPLE.
    Counts fade by half every HOT_HALF_LIFE seconds; past HOT_PAGES addresses, the
    least read is dropped. Ranking by reads rather than by the last read keeps a flood
    of made-up addresses, each read once, from pushing out the pages readers are
    reading: to displace one, an address must be read about as often.
    """
    now = time.time()
    url = request.build_absolute_uri()
    noted = _cache().get(_hot_key()) or {}
    noted[url] = (_faded(noted.get(url), now) + reads, now)
    if len(noted) > HOT_PAGES:
        noted = dict(sorted(noted.items(), key=lambda item: _faded(item[1], now))[-HOT_PAGES:])
    # Two workers noting at once may each drop the other's address: it is a hint, and a later
    # reader of that page notes it again.
    _cache().set(_hot_key(), noted, timeout=HOT_SECONDS)


def _faded(entry, now):
    """An address's count of reads, faded since it was last noted."""
    if entry is None:
        return 0.0
    score, when = entry
    return score * 0.5 ** (max(0.0, now - when) / HOT_HALF_LIFE)


def recently_read():
    """The addresses of the pages read in the last HOT_SECONDS, the most read first (then the last read)."""
    now = time.time()
    cutoff = now - HOT_SECONDS
    noted = _cache().get(_hot_key()) or {}
    ranked = sorted(noted.items(), key=lambda item: (-_faded(item[1], now), -item[1][1]))
    return [url for url, (_, when) in ranked if when >= cutoff]


def etag_for(version):
    """The ETag of every public response at this data version (ETags are per URL, so one value serves all)."""
    return quote_etag(f"{settings.MGREVIEW_RELEASE}-{version.token}")


def _validators(response, version):
    response["ETag"] = etag_for(version)
    patch_cache_control(response, public=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page that used the CSRF token would hand one reader's token to the next.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and len(response.content) <= settings.MGREVIEW_PAGE_CACHE_MAX_BYTES
    )


def _from_cache(entry):
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _early_answer(request, version, store, query=True):
    """A 304, or the stored page, for an anonymous reader at `version`; None when the view must run."""
    not_modified = get_conditional_response(request, etag=etag_for(version))
    if not_modified is not None:
        return _validators(not_modified, version)
    if store:
        entry = _stored(_key(request, version, query))
        if entry is not None:
            if settings.MGREVIEW_PAGE_CACHE_WARM and random.randrange(HOT_SAMPLE) == 0:  # noqa: S311 - a sample, not a secret
                _remember(request, reads=HOT_SAMPLE)
            return _validators(_from_cache(entry), version)
    return None


def public_page(view=None, *, store=True, query=True):
    """
    Wrap a public view: ETags and 304s for anonymous readers, and, with `store`
    (HTML pages, not streamed exports), the server cache. ServeStoredPublicPages
    answers most repeat readers before the view is reached. `query=False` for a
    view whose page does not depend on the query string (it reads no parameter
    and its template shows none): its cache key leaves the query string out.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in CACHEABLE_METHODS:
                return view(request, *args, **kwargs)
            if request.user.is_authenticated:
                return _private(view(request, *args, **kwargs))
            # First the version, then the data: a page is never stored under a newer version than it
            # shows. The middleware may have read it already, before the request reached the view.
            version = getattr(request, "_public_page_version", None) or DataVersion.current()
            early = _early_answer(request, version, store, query)
            if early is not None:
                return early
            key = _key(request, version, query) if store else None
            if key is not None and not _cache().add(f"{key}:building", 1, timeout=BUILD_SECONDS):
                # Another worker is building this page at this version: wait for it rather than build it again.
                entry = _wait_for(key)
                if entry is not None:
                    return _validators(_from_cache(entry), version)
            try:
                response = view(request, *args, **kwargs)
            except BaseException:  # Http404 and errors: nothing will be stored
                if key is not None:
                    _cache().delete(f"{key}:building")
                raise
            if response.status_code != 200:
                if key is not None:
                    _cache().delete(f"{key}:building")
                return response
            if key is not None:
                response["X-Page-Cache"] = "miss"

                def keep(rendered):
                    if _storable(request, rendered):
                        headers = [(name, value) for name, value in rendered.items() if name.lower() == "content-type"]
                        _store(key, {"content": rendered.content, "headers": headers})
                        if settings.MGREVIEW_PAGE_CACHE_WARM and not getattr(request, "_public_page_warming", False):
                            _remember(request)
                    _cache().delete(f"{key}:building")

                # A TemplateResponse is rendered after the view returns (as Django's cache middleware waits too).
                if getattr(response, "is_rendered", True):
                    keep(response)
                else:
                    response.add_post_render_callback(keep)
            return _validators(response, version)

        wrapped.public_page_store = store
        wrapped.public_page_query = query
        return wrapped

    return decorate(view) if view is not None else decorate


class ServeStoredPublicPages:
    """
    Answer a repeat anonymous reader (a 304, or the stored page) before sessions,
    CSRF, authentication and the other middleware run: most of a cached page's
    cost was theirs. Only requests without a session cookie, which cannot be
    logged in, for views wrapped in public_page; anything else, and every miss,
    goes on to the view, which reuses the version read here (one query).
    Placed after the middleware that set security headers on every response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in CACHEABLE_METHODS and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            store = getattr(match.func, "public_page_store", None) if match else None
            if store is not None:
                version = DataVersion.current()
                early = _early_answer(request, version, store, match.func.public_page_query)
                if early is not None:
                    return early
                request._public_page_version = version
        return self.get_response(request)


def _anonymous_request(url):
    """A GET of `url` as a reader with no cookies would send it, for public_page to build and store."""
    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "",
        "SERVER_PORT": str(parts.port or (443 if parts.scheme == "https" else 80)),
        "HTTP_HOST": parts.netloc,
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": BytesIO(),
    }
    # The address was built from a reader's request as these settings read it: build it the same way.
    if parts.scheme == "https" and settings.SECURE_PROXY_SSL_HEADER:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value
    if settings.USE_X_FORWARDED_HOST:
        environ["HTTP_X_FORWARDED_HOST"] = parts.netloc
    request = WSGIRequest(environ)
    request.user = AnonymousUser()
    return request


def warm(version):
    """
    Build the pages readers read lately under `version`, which is about to become
    current (claims/dataversion.py calls this between a write's commit and its advance).
    """
    deadline = time.monotonic() + WARM_SECONDS
    for url in recently_read()[:WARM_PAGES]:
        if time.monotonic() > deadline:
            break
        request = _anonymous_request(url)
        try:
            match = resolve(request.path_info)
            if not getattr(match.func, "public_page_store", False):
                continue
            request.resolver_match = match  # as Django's handler sets it: the navigation reads it
            request._public_page_version = version
            request._public_page_warming = True
            response = match.func(request, *match.args, **match.kwargs)
            if not getattr(response, "is_rendered", True):
                response.render()  # stores it (public_page's post-render callback)
        except Exception:
            # A page that cannot be built now (gone, a bad address) is built, or not, by its next reader.
            logger.info("could not build %s ahead of its readers", url, exc_info=True)


class WarmPagesAfterWrites:
    """
    While a request that may write runs, hand claims/dataversion.py the builder of
    the pages readers are reading (warm), so that they are ready when the version
    moves on. Only with the page cache on and warming enabled.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in CACHEABLE_METHODS or not settings.MGREVIEW_PAGE_CACHE_WARM:
            return self.get_response(request)
        token = dataversion.preparing.set(warm)
        try:
            return self.get_response(request)
        finally:
            dataversion.preparing.reset(token)
