"""schema.org ClaimReview markup for a finalized claim's public page, built from settings and the claim."""

from django.conf import settings

from claims.choices import EvidenceStrength


def claim_review(claim, url):
    """
    schema.org ClaimReview for a finalized claim (None otherwise), as a dict for JSON-LD.
    ratingValue is the evidence strength on a 1 (no evidence) … 5 (high) scale; the
    article's publication date is not recorded, so the claim's datePublished is left out.
    """
    consensus = claim.published_consensus
    if consensus is None:
        return None
    article = claim.article
    appearance = {"@type": "CreativeWork", "headline": article.title}
    if article.source_url:
        appearance["url"] = article.source_url
    item = {"@type": "Claim", "text": claim.quote, "appearance": appearance}
    if article.publisher:
        item["author"] = {"@type": "Organization", "name": article.publisher}
    author = {"@type": "Organization", "name": settings.MGREVIEW_ORGANISATION}
    if settings.MGREVIEW_ORGANISATION_URL:
        author["url"] = settings.MGREVIEW_ORGANISATION_URL
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.statement or claim.quote,
        "itemReviewed": item,
        "author": author,
        "datePublished": consensus.created_at.date().isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": EvidenceStrength.rating_value(consensus.evidence_strength),
            "bestRating": EvidenceStrength.rating_value(EvidenceStrength.HIGH),
            "worstRating": EvidenceStrength.rating_value(EvidenceStrength.NONE),
            "alternateName": consensus.public_summary,
        },
    }
