from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # Public, read-only pages.
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("overclaims/", views.overclaim_list, name="overclaims"),
    path("articles/", views.article_list, name="article_list"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("studies/", views.study_list, name="study_list"),
    path("studies/<int:pk>/", views.study_detail, name="study_detail"),
    path("stats/", views.stats, name="stats"),
    path("export/ratings.csv", views.export_ratings, name="export_ratings"),
    path("export/claims.csv", views.export_claims, name="export_claims"),
]
