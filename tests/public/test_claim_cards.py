"""
The claim cards of /claims/ and /studies/<id>/ (public/partials/claim_cards.html,
built by views._claim_cards): the same markup as the per-claim template they
replaced, kept below as the reference and rendered from the model instances.
"""

import re

import pytest
from django.template import engines
from django.urls import reverse

from claims.models import Claim, ClaimStatus
from tests import factories
from tests.public_pages import page, reviewed_claim

pytestmark = pytest.mark.django_db

# public/partials/claim_card.html and strength_badge.html as they were, one card per claim.
REFERENCE_CARD = """
<li class="claim-card">
  <h3 class="claim-card-title"><a href="{{ claim.get_absolute_url }}">{{ claim.statement }}</a></h3>
  <p class="claim-meta">
    {% with consensus=claim.published_consensus %}{% if consensus %}<span class="badge s-{{ consensus.evidence_strength }}"><span class="visually-hidden">Evidence strength: </span>{{ consensus.get_evidence_strength_display }}</span>{% else %}<span class="badge s-under_review">Under review</span>{% endif %}{% endwith %}
    {% with consensus=claim.published_consensus %}{% if consensus %}<span class="verdict">{{ consensus.get_verdict_display }}</span>{% endif %}{% endwith %}
  </p>
  <blockquote class="quote"><p>{{ claim.quote|truncatewords:60 }}</p></blockquote>
  <p class="claim-source">
    {% if not hide_article %}In <a href="{{ claim.article.get_absolute_url }}#claim-{{ claim.pk }}">{{ claim.article.title }}</a> · {% endif %}Topic: {{ claim.get_topic_display }} · Population: {{ claim.get_population_display }}
  </p>
  {% with studies=claim.studies.all %}{% if studies %}
  <p class="claim-cites">Cites: {% for study in studies %}<a href="{{ study.get_absolute_url }}">{{ study.citation }}</a>{% if not forloop.last %}; {% endif %}{% endfor %}</p>
  {% endif %}{% endwith %}
</li>
"""  # noqa: E501

HOSTILE = "<script>alert('x')</script> & \"quoted\" <b>bold</b>"


def squeeze(html):
    return re.sub(r"\s+", " ", html).strip()


def cards(response):
    return re.findall(r'<li class="claim-card">.*?</li>', squeeze(response.content.decode()))


def reference_cards(claims):
    template = engines["django"].from_string(REFERENCE_CARD)
    return [squeeze(template.render({"claim": claim})) for claim in Claim.objects.filter(pk__in=[c.pk for c in claims])]


@pytest.fixture
def claims(alice, carol):
    """A finalized claim citing two studies, one under review citing none, one reopened, one hostile."""
    article = factories.make_article(
        "Magnesium cures nerve pain. Rats healed faster. Nobody knows why. " + HOSTILE + " Buy it.",
        title="Pain & <i>gain</i>",
        slug="pain",
    )
    finalized = reviewed_claim(
        article,
        "Magnesium cures nerve pain.",
        [alice],
        carol,
        strength="high",
        verdict="supports",
        statement="Cures pain",
        topic="neuropathic_pain",
        population="human",
    )
    for citation in ("(Shin 2020)", "(Rat 2019)"):
        factories.cite(finalized, factories.make_study(citation))
    under_review = factories.make_claim(article, "Rats healed faster.", statement="Rats heal", population="animal")
    reopened = reviewed_claim(article, "Nobody knows why.", [alice], carol, strength="low", verdict="partially")
    reopened.status = ClaimStatus.UNDER_REVIEW  # a reopened claim keeps its consensus row
    reopened.save()
    hostile = factories.make_claim(article, HOSTILE, statement=HOSTILE)
    factories.cite(hostile, factories.make_study(HOSTILE))
    return [finalized, under_review, reopened, hostile]


def test_the_cards_of_the_claim_list_have_the_reference_markup(client, claims):
    response = client.get(reverse("claim_list"))
    assert cards(response) == reference_cards(claims)
    assert len(cards(response)) == 4


def test_the_cards_of_a_study_page_have_the_reference_markup(client, claims):
    study = claims[0].studies.get(citation="(Shin 2020)")
    response = client.get(reverse("study_detail", args=[study.pk]))
    assert cards(response) == reference_cards([claims[0]])


def test_a_card_shows_a_rating_only_once_the_claim_is_finalized(client, claims):
    finalized, under_review, reopened, _ = cards(client.get(reverse("claim_list")))
    assert '<span class="badge s-high">' in finalized and '<span class="verdict">Supports the claim</span>' in finalized
    for card in (under_review, reopened):
        assert '<span class="badge s-under_review">Under review</span>' in card
        assert "verdict" not in card


def test_hostile_text_in_a_card_is_escaped(client, claims):
    card = cards(client.get(reverse("claim_list")))[3]
    assert "<script>" not in card and "<b>" not in card and "<i>" not in card
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in card
    assert "Pain &amp; &lt;i&gt;gain&lt;/i&gt;" in card
    assert page(client.get(reverse("claim_list"))).errors == []


def test_a_long_quote_is_cut_at_sixty_words(client, db):
    words = " ".join(f"word{n}" for n in range(80)) + "."
    factories.make_claim(factories.make_article(words), words)
    (card,) = cards(client.get(reverse("claim_list")))
    assert "word59 …</p></blockquote>" in card and "word60" not in card


def test_a_card_marks_the_confirmed_flags_that_touch_its_quote(client, db):
    article = factories.make_article("Magnesium is a miracle cure for pain. Buy now. Rats healed.", slug="flags")
    claim = factories.make_claim(article, "Magnesium is a miracle cure for pain.", statement="Miracle")
    factories.make_flag(article, "miracle cure", category="hype", state="confirmed")
    factories.make_flag(article, "for pain", category="disease-claim", state="suggested")  # not public
    factories.make_flag(article, "Buy now", category="product-promotion", state="confirmed")  # outside the quote
    other = factories.make_claim(article, "Rats healed.", statement="Rats")
    (card, other_card) = cards(client.get(reverse("claim_list")))
    assert (
        '<p>Magnesium is a <mark class="hl hl-flag flag-hype">miracle cure'
        '<span class="flag-label"> (marketing language: Hype)</span></mark> for pain.</p>'
    ) in card
    assert card.count("<mark") == 1
    assert "<mark" not in other_card
    assert claim.statement in card and other.statement in other_card


def test_a_flag_crossing_the_edge_of_the_quote_or_its_cut_is_marked_inside_it(client, db):
    words = " ".join(f"word{n}" for n in range(80)) + "."
    article = factories.make_article(f"Hurry up {words}", slug="long")
    factories.make_claim(article, words, statement="Long")
    factories.make_flag(article, "up word0 word1", category="fear-urgency", state="confirmed")
    factories.make_flag(article, "word59 word60", category="hype", state="confirmed")
    (card,) = cards(client.get(reverse("claim_list")))
    assert '<p><mark class="hl hl-flag flag-fear-urgency">word0 word1<span class="flag-label">' in card
    assert (
        '<mark class="hl hl-flag flag-hype">word59<span class="flag-label"> (marketing language: Hype)</span></mark> …'
    ) in card
    assert "word60" not in card
    assert page(client.get(reverse("claim_list"))).errors == []


def test_a_flag_linked_to_the_claim_is_marked_where_it_overlaps_the_quote(client, db):
    article = factories.make_article("Pure and natural. Magnesium calms nerves, naturally.", slug="linked")
    claim = factories.make_claim(article, "Magnesium calms nerves, naturally.", statement="Calm")
    factories.make_flag(article, "naturally", category="appeal-to-nature", state="confirmed", claim=claim)
    factories.make_flag(article, "Pure and natural", category="appeal-to-nature", state="confirmed", claim=claim)
    (card,) = cards(client.get(reverse("claim_list")))
    assert card.count("<mark") == 1  # the linked flag outside the quote has nothing to mark in it
    assert '<mark class="hl hl-flag flag-appeal-to-nature">naturally<span class="flag-label">' in card
