from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("export/ratings.csv", views.export_ratings, name="export_ratings"),
    path("export/claims.csv", views.export_claims, name="export_claims"),
]
