"""
Who sees what and who may change what: every rule stated once.

The review pages, the public pages, the CSV exports, the history views, the
admin and the management commands all ask this module; none of them restates
a rule. It reads roles, statuses and the few fields the rules depend on, and
imports no model (the models call it), so nothing imports it back.

The words used here and everywhere else:

- **public**: what anyone may see without logging in. Only a published
  article is public (an imported one is a draft, seen by reviewers alone,
  until a lead publishes it). Claims under review or finalized of a published
  article are public (suggested and rejected ones are not); a claim's
  consensus and its individual ratings are public only while it is finalized.
- **finalized**: a lead reviewer recorded the consensus; the claim takes no
  more ratings until a lead reopens it.
- **blinded**: a reviewer does not see other reviewers' ratings of a claim
  until they have rated it themselves. Leads see every rating; everyone sees
  the ratings of a finalized claim. A claim a user sees every rating of is
  *unblinded* for them.

A rule that refuses says why: the ``*_refusal`` functions return None when the
change is allowed and a Refusal otherwise; the domain methods raise it, and the
pages and the admin use the ``may_*`` forms to decide what to offer.
docs/review.md has the same rules as one table.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from .choices import CitationOrigin, ClaimStatus, FlagSource, FlagState

# --------------------------------------------------------------------------
# Roles

REVIEWERS_GROUP = "Reviewers"
LEAD_REVIEWERS_GROUP = "Lead reviewers"
# The accounts of a demonstration review (worked examples by the maintainers, not
# a panel's findings). While any of their ratings is published, every public page
# and both CSV exports say so.
DEMONSTRATION_GROUP = "Demonstration reviewers"


def is_reviewer(user):
    """Any user who may rate claims: Reviewers, Lead reviewers, superusers."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("claims.add_rating"))


def is_lead(user):
    """Lead reviewers (and superusers) settle consensus and see every rating."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("claims.finalize_claim"))


# --------------------------------------------------------------------------
# What the public sees

PUBLIC_STATUSES = (ClaimStatus.UNDER_REVIEW, ClaimStatus.FINALIZED)
# The flags public pages, the CSV and the /claims/ flag filter count.
PUBLIC_FLAG_STATE = FlagState.CONFIRMED
# The fields of a rating published (under a pseudonym) once its claim is finalized.
PUBLISHED_RATING_FIELDS = ("evidence_strength", "verdict", "extrapolation_concerns", "notes")


def published_articles_q(prefix=""):
    """The articles anyone may see: published ones, not drafts (prefix: the path to the article)."""
    return Q(**{f"{prefix}published_at__isnull": False})


def article_is_public(article):
    """published_articles_q for an article in memory."""
    return article.published_at is not None


def reviewable_claims_q(prefix=""):
    """
    The claims the review pages show: under review or finalized, of any article,
    drafts included (reviewers review a draft before a lead publishes it).
    """
    return Q(**{f"{prefix}status__in": PUBLIC_STATUSES})


def public_claims_q(prefix=""):
    """
    The claims anyone may see, as a filter (prefix: the path to the claim, e.g.
    'claim__'): reviewable claims of a published article. Every public page,
    count, facet and export starts from it, so a draft is in none of them.
    """
    return reviewable_claims_q(prefix) & article_published_q(prefix)


def article_published_q(prefix=""):
    """
    The claim's article is published (published_articles_q), read from the claim's
    own `article_published` column: claims/facets.py keeps it equal to the article's
    state on every write (and tests check it after every test), so the public
    list reads it from its indexes instead of joining every claim to its article.
    """
    return Q(**{f"{prefix}article_published": True})


def public_flags_q(prefix=""):
    """The marketing flags public pages count: confirmed, in a published article."""
    return Q(**{f"{prefix}state": PUBLIC_FLAG_STATE}) & published_articles_q(f"{prefix}article__")


def publishes_consensus(status):
    """
    A claim's consensus and ratings are published only while it is finalized; a
    reopened claim keeps its consensus row, unshown.
    """
    return status == ClaimStatus.FINALIZED


def consensus_is_public(claim):
    # Status only: a claim in memory was already selected through public_claims_q
    # (public pages) or reviewable_claims_q (review pages, where drafts are seen).
    return publishes_consensus(claim.status)


def finalized_claims_q(prefix=""):
    """
    The finalized claims of any article, drafts included (publishes_consensus, in
    SQL): what ends blinding on the review pages and what the stored facets hold.
    """
    return Q(**{f"{prefix}status": ClaimStatus.FINALIZED})


def finalized_consensus_q(prefix=""):
    """Finalized claims with a consensus row, drafts included (the stored facet columns)."""
    return finalized_claims_q(prefix) & Q(**{f"{prefix}consensus__isnull": False})


def published_claims_q(prefix=""):
    """The claims whose consensus and ratings the public may see: finalized, of a published article."""
    return finalized_claims_q(prefix) & article_published_q(prefix)


def published_consensus_q(prefix=""):
    """The claims with a published consensus row, as a filter."""
    return published_claims_q(prefix) & Q(**{f"{prefix}consensus__isnull": False})


def flag_touches_claim_q(claim_id, article_id, start, end):
    """
    The flags that concern a claim: linked to it, or overlapping its quote in
    the same article. The corpus annotates marketing phrases by offsets without
    linking them to claims, so overlap counts as much as a link. The claim
    page, the /claims/ flag filter, the CSV and the highlighting all use this.
    """
    return Q(claim=claim_id) | Q(article=article_id, start__lt=end, end__gt=start)


def flag_touches_claim(flag, claim):
    """flag_touches_claim_q for objects in memory (anything with the same fields)."""
    return flag.claim_id == claim.id or (
        flag.article_id == claim.article_id and flag.start < claim.end and flag.end > claim.start
    )


# --------------------------------------------------------------------------
# Blinding: who sees which ratings and which consensus


def sees_every_rating(user):
    return is_lead(user)


def unblinded_claims_q(user, rated_by_user):
    """
    The claims on which `user` sees every reviewer's rating, as a filter on
    claims, or None for every claim. `rated_by_user` is a filter true for the
    claims `user` has rated (the models build it). Everyone: finalized
    claims; a reviewer: also the claims they rated; leads: all.
    """
    if sees_every_rating(user):
        return None
    if is_reviewer(user):
        # Reviewers see drafts: a finalized claim of a draft ends blinding for them too.
        return finalized_claims_q() | Q(rated_by_user)
    return published_claims_q()


def visible_ratings_q(user, unblinded_claim_ids):
    """
    The ratings `user` may see, as a filter on anything with `claim` and
    `reviewer` (ratings and their history rows), or None for all: their own,
    and every rating of a claim unblinded for them (`unblinded_claim_ids`, a
    subquery the models build from unblinded_claims_q).
    """
    if sees_every_rating(user):
        return None
    visible = Q(claim_id__in=unblinded_claim_ids)
    if is_reviewer(user):
        visible |= Q(reviewer=user)
    return visible


def exportable_ratings_q(user):
    """
    The ratings the CSV exports may hold for `user`, or None for all. Narrower
    than what a reviewer sees on the review pages: the ratings of finalized
    claims and their own, not others' ratings of claims still under review.
    Being staff widens nothing.
    """
    if sees_every_rating(user):
        return None
    exportable = published_claims_q("claim__")
    if is_reviewer(user):
        exportable |= Q(reviewer=user)
    return exportable


def visible_consensus_q(user, prefix="claim__"):
    """Consensus rows (or their history rows) `user` may see, or None for all: leads all, others published ones."""
    if is_lead(user):
        return None
    if is_reviewer(user):
        return finalized_claims_q(prefix)
    return published_claims_q(prefix)


def may_see_consensus(user, claim):
    return is_lead(user) or consensus_is_public(claim)


# --------------------------------------------------------------------------
# Changes


@dataclass(frozen=True)
class Refusal:
    """Why a change is refused: because of who asks (403) or of the state things are in (a form error)."""

    message: str
    code: str
    forbidden: bool = False

    def exception(self):
        if self.forbidden:
            return PermissionDenied(self.message)
        return ValidationError(self.message, code=self.code)

    def raise_(self):
        raise self.exception()


def _forbidden(message):
    return Refusal(message, "forbidden", forbidden=True)


def refuse_if(refusal):
    """Raise the refusal, if there is one: what every domain method does with a *_refusal answer."""
    if refusal is not None:
        refusal.raise_()


def min_ratings():
    """How many ratings, by different reviewers, a consensus needs (MGREVIEW_MIN_RATINGS)."""
    return settings.MGREVIEW_MIN_RATINGS


def consensus_ready(rating_count):
    """Whether a claim with `rating_count` ratings (one per reviewer) has enough for a consensus."""
    return rating_count >= min_ratings()


# Ratings


def rating_refusal(user, claim, rating=None):
    """Why `user` may not give a rating of `claim` (rating None) or change `rating`; None if they may."""
    if not is_reviewer(user):
        return _forbidden("Only reviewers can rate claims.")
    if rating is not None and rating.reviewer_id != user.pk:
        return _forbidden("A rating can be changed only by the reviewer who gave it.")
    if claim.status != ClaimStatus.UNDER_REVIEW:
        return Refusal(
            f"This claim is {claim.get_status_display().lower()}; ratings can only be given or changed "
            "while it is under review.",
            "not_under_review",
        )
    return None


def may_change_rating(user, claim, rating=None):
    return rating_refusal(user, claim, rating) is None


# Consensus


def _consensus_target_refusal(user, claim):
    """Who may give `claim` a consensus, and when: a lead, on a claim under review (recorded or reused)."""
    if not is_lead(user):
        return _forbidden("Only lead reviewers can record a consensus.")
    if claim.status != ClaimStatus.UNDER_REVIEW:
        return Refusal(
            f"This claim is {claim.get_status_display().lower()}, not under review; a consensus can only be "
            "recorded on a claim under review (reopen it first).",
            "not_under_review",
        )
    return None


def consensus_refusal(user, claim, rating_count):
    """Why `user` may not record a consensus on `claim`, which has `rating_count` ratings; None if they may."""
    if refusal := _consensus_target_refusal(user, claim):
        return refusal
    if not consensus_ready(rating_count):
        return Refusal(
            f"A consensus needs ratings from at least {min_ratings()} different reviewers; this claim has "
            f"{rating_count}. It stays under review until they are in.",
            "too_few_ratings",
        )
    return None


def may_change_consensus(user, claim, rating_count):
    return consensus_refusal(user, claim, rating_count) is None


def reopen_refusal(user, claim):
    if not is_lead(user):
        return _forbidden("Only lead reviewers can reopen a claim.")
    if claim.status != ClaimStatus.FINALIZED:
        return Refusal("Only a finalized claim can be reopened.", "not_finalized")
    return None


def may_publish(user):
    """Whether `user` decides what the public reads: consensus, reopening, accepting suggested claims, publishing."""
    return is_lead(user)


def publish_refusal(user, article):
    """Why `user` may not publish `article` (a draft, until a lead publishes it); None if they may."""
    if not may_publish(user):
        return _forbidden("Only lead reviewers can publish an article.")
    if article_is_public(article):
        return Refusal("This article is already published; nothing changed.", "already_published")
    return None


def suggestion_refusal(user, claim, accept=False):
    """
    Who may accept or reject a suggested claim (leads), and when: accepting needs
    a neutral statement of the claim that is not its quote copied (`claim.statement`
    as it would be saved).
    """
    if not may_publish(user):
        return _forbidden("Only lead reviewers can accept or reject suggested claims.")
    if claim.status != ClaimStatus.SUGGESTED:
        return Refusal(
            f"This claim is {claim.get_status_display().lower()}, not a suggestion; nothing changed.",
            "not_suggested",
        )
    if accept and not _own_words(claim.statement, claim.quote):
        return Refusal(
            "Write the claim's neutral statement before accepting it: what the article claims, in plain words, "
            "not the quote copied. Nothing changed.",
            "statement_required",
        )
    return None


def _own_words(statement, quote):
    """A statement that is there and is not the quote again (ignoring case, spacing and end punctuation)."""

    def plain(text):
        return " ".join((text or "").split()).casefold().rstrip(".!?…;: ")

    return bool(plain(statement)) and plain(statement) != plain(quote)


# Marketing flags


def flag_refusal(user, flag):
    """Leads change any flag; reviewers the detector's suggestions and their own flags."""
    if is_lead(user):
        return None
    if not is_reviewer(user):
        return _forbidden("Only reviewers can flag marketing language.")
    if flag.pk is None or flag.source == FlagSource.DETECTOR or flag.raised_by_id == user.pk:
        return None
    return _forbidden("You can confirm, dismiss or edit only the detector's suggestions and your own flags.")


def may_change_flag(user, flag):
    return flag_refusal(user, flag) is None


# Citations and studies


def link_refusal(user):
    if not is_reviewer(user):
        return _forbidden("Only reviewers can link studies.")
    return None


def unlink_refusal(user, citation):
    """
    The citations an article makes are the record of what it says: only a lead
    removes one (with a reason). A study the reviewers consulted is removed by
    the reviewer who linked it, or a lead.
    """
    if not is_reviewer(user):
        return _forbidden("Only reviewers can change a claim's studies.")
    if is_lead(user):
        return None
    if citation.origin == CitationOrigin.ARTICLE:
        return _forbidden("Only a lead reviewer can remove a citation the article makes.")
    if citation.added_by_id != user.pk:
        return _forbidden("You can remove only the studies you linked; ask a lead reviewer.")
    return None


def may_unlink(user, citation):
    return unlink_refusal(user, citation) is None


def citation_text_refusal(user, cited_by_article):
    """The citation text of a study an article cites is the article's own words: leads only may edit it."""
    if cited_by_article and not is_lead(user):
        return _forbidden("Only a lead reviewer can change how an article's citation is written.")
    return None


# History


def may_revert_history(user):
    """
    Nobody reverts through the admin's history pages: a revert would write an
    old row back past every rule above (whose rating it is, whether the claim
    is still open). To undo a change, make a new one on the review pages.
    """
    return False


# The same claim across articles


def match_decision_refusal(user, match):
    """Only a lead reviewer says whether two claims make the same assertion (confirm or reject a match)."""
    if not is_lead(user):
        return _forbidden("Only lead reviewers can confirm or reject a match between claims.")
    return None


def may_decide_match(user, match):
    return match_decision_refusal(user, match) is None


def consensus_reuse_refusal(user, claim, source):
    """
    Why `user` may not give `claim` the consensus of `source`, a claim confirmed
    to make the same assertion; None if they may. Reuse stands in for the
    ratings: the panel already judged this assertion on its evidence, so the
    minimum number of ratings (consensus_refusal) is not asked of `claim`
    again; everything else is. `source` must be finalized (its consensus public)
    and in the same assertion group, and `claim` under review.
    """
    if refusal := _consensus_target_refusal(user, claim):
        return refusal
    if source is None or not claim.assertion_group_id or source.assertion_group_id != claim.assertion_group_id:
        return Refusal(
            "This claim shares no confirmed assertion with a finalized claim; there is no consensus to reuse.",
            "no_finalized_match",
        )
    if not publishes_consensus(source.status):
        return Refusal("The other claim is not finalized; its consensus cannot be reused.", "source_not_finalized")
    return None


def may_reuse_consensus(user, claim, source):
    return consensus_reuse_refusal(user, claim, source) is None


# Vocabularies: the substances and topics claims are filed under


def vocabulary_refusal(user):
    """
    Lead reviewers add, change and delete substances and topics (the importer's
    keywords among them: they decide what it suggests); reviewers may look.
    """
    if not is_lead(user):
        return _forbidden("Only lead reviewers can change the substances and topics.")
    return None


def may_edit_vocabulary(user):
    return vocabulary_refusal(user) is None


def may_view_vocabulary(user):
    return is_reviewer(user)
