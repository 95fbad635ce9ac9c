from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("claims/<int:pk>/", views.claim, name="claim"),
    path("claims/<int:pk>/studies/link/", views.link_study, name="link_study"),
    path("claims/<int:pk>/studies/add/", views.add_study, name="add_study"),
    path("claims/<int:pk>/studies/<int:study_pk>/unlink/", views.unlink_study, name="unlink_study"),
    path("claims/<int:pk>/flags/", views.add_flag, name="add_flag"),
    path("claims/<int:pk>/flags/<int:flag_pk>/", views.flag_state, name="flag_state"),
    path("claims/<int:pk>/consensus/", views.consensus, name="consensus"),
    path("claims/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("claims/<int:pk>/matches/<int:match_pk>/", views.decide_match, name="decide_match"),
    path("claims/<int:pk>/reuse/<int:source_pk>/", views.reuse_consensus, name="reuse_consensus"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/<int:pk>/", views.decide_suggestion, name="decide_suggestion"),
    path("drafts/", views.drafts, name="drafts"),
    path("drafts/<slug:slug>/publish/", views.publish_article, name="publish_article"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("agreement/", views.agreement_page, name="agreement"),
]
