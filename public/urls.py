from django.urls import path

from . import views
from .caching import public_page

# Every public page and export answers conditional GETs for anonymous readers;
# the HTML pages are also kept in the server cache (public/caching.py). The
# exports stream, so they are revalidated, not stored. query=False: the page reads no
# query parameter, so its cache key leaves the query string out.
urlpatterns = [
    path("", public_page(views.home, query=False), name="home"),
    # Public, read-only pages.
    path("claims/", public_page(views.claim_list), name="claim_list"),
    path("claims/<int:pk>/", public_page(views.claim_detail, query=False), name="claim_detail"),
    path("overclaims/", public_page(views.overclaim_list), name="overclaims"),
    path("articles/", public_page(views.article_list), name="article_list"),
    path("articles/<slug:slug>/", public_page(views.article_detail, query=False), name="article_detail"),
    path("studies/", public_page(views.study_list), name="study_list"),
    path("studies/<int:pk>/", public_page(views.study_detail, query=False), name="study_detail"),
    path("stats/", public_page(views.stats, query=False), name="stats"),
    path("export/ratings.csv", public_page(views.export_ratings, store=False), name="export_ratings"),
    path("export/claims.csv", public_page(views.export_claims, store=False), name="export_claims"),
]
