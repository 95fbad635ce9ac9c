"""The site's URLs plus a trivial view: the framework's floor, measured beside each page."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from mgreview.urls import urlpatterns as site_urlpatterns


@require_safe
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/trivial/", trivial), *site_urlpatterns]
