"""
Topics: a table seeded with the old fixed list (same slugs and labels), edited
by lead reviewers in the admin; its keywords drive the importer's guess.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from analysis.importer import guess_topic
from claims.choices import Topic
from claims.models import ClaimTopic
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vocabularies(db):
    # Seeded by migration 0025; put back if a transactional test flushed them.
    f.ensure_vocabularies()


ADD = reverse("admin:claims_claimtopic_add")


def change_url(topic):
    return reverse("admin:claims_claimtopic_change", args=[topic.pk])


def topic_data(topic, **values):
    return {"label": topic.label, "keywords": topic.keywords, "position": topic.position, **values}


def test_the_migration_seeds_the_old_list_with_its_slugs_and_labels():
    assert dict(ClaimTopic.objects.values_list("slug", "label")) == dict(Topic.choices)
    assert "migraine" in ClaimTopic.objects.get(slug="migraine").keywords


def test_a_claims_topic_must_be_in_the_table():
    claim = f.make_claim(topic="sleep")
    claim.full_clean()
    claim.topic = "brightleaf_glow"
    with pytest.raises(ValidationError) as refused:
        claim.full_clean()
    assert "topic" in refused.value.message_dict


def test_a_lead_edits_a_topic_label_and_pages_show_it(client, carol):
    sleep = ClaimTopic.objects.get(slug="sleep")
    claim = f.make_claim(topic="sleep")
    client.force_login(carol)
    response = client.post(change_url(sleep), topic_data(sleep, label="Sleep & rest"))
    assert response.status_code == 302
    assert ClaimTopic.objects.get(slug="sleep").label == "Sleep & rest"
    assert "Sleep &amp; rest" in client.get(claim.get_absolute_url()).content.decode()


def test_a_topic_keyword_edit_changes_the_importers_guess(client, carol):
    sentence = "Brightleaf gummies give you a radiant glow."
    assert guess_topic(sentence) == "general"
    glow = ClaimTopic.objects.create(slug="skin", label="Skin", keywords="radiant\nglow\\w*", position=1)
    assert guess_topic(sentence) == "skin"
    client.force_login(carol)
    client.post(change_url(glow), topic_data(glow, keywords="complexion"))
    assert guess_topic(sentence) == "general"


def test_a_plain_reviewer_is_refused_and_nothing_changes(client, alice):
    sleep = ClaimTopic.objects.get(slug="sleep")
    client.force_login(alice)
    assert client.get(change_url(sleep)).status_code == 200  # may look
    assert client.post(change_url(sleep), topic_data(sleep, label="Naps")).status_code == 403
    assert client.post(ADD, {"slug": "skin", "label": "Skin", "keywords": "", "position": 1}).status_code == 403
    delete = reverse("admin:claims_claimtopic_delete", args=[sleep.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ClaimTopic.objects.get(slug="sleep").label == "Sleep"
    assert not ClaimTopic.objects.filter(slug="skin").exists()


def test_a_bad_regex_is_refused_and_nothing_saved(client, carol):
    sleep = ClaimTopic.objects.get(slug="sleep")
    before = sleep.keywords
    client.force_login(carol)
    response = client.post(change_url(sleep), topic_data(sleep, keywords="sleep\\w*\nnap(s"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Line 2" in page and "not a valid regular expression" in page
    assert ClaimTopic.objects.get(slug="sleep").keywords == before


def test_a_topic_in_use_is_not_deleted(client, carol):
    sleep = ClaimTopic.objects.get(slug="sleep")
    f.make_claim(topic="sleep")
    client.force_login(carol)
    response = client.post(reverse("admin:claims_claimtopic_delete", args=[sleep.pk]), {"post": "yes"})
    assert response.status_code == 200
    assert "move them to another topic first" in response.content.decode()
    assert ClaimTopic.objects.filter(slug="sleep").exists()
    with pytest.raises(ProtectedError):
        sleep.delete()


def test_a_used_topics_slug_is_fixed():
    sleep = ClaimTopic.objects.get(slug="sleep")
    f.make_claim(topic="sleep")
    sleep.slug = "rest"
    with pytest.raises(ValidationError):
        sleep.full_clean()


def test_topics_without_keywords_leave_every_sentence_general():
    ClaimTopic.objects.update(keywords="")
    assert guess_topic("Brightleaf gummies end migraine headaches.") == "general"
