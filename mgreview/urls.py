from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "mgreview administration"
admin.site.site_title = "mgreview admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("review/", include("review.urls")),
    path("", include("public.urls")),
]
