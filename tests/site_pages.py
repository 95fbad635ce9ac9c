"""
The site as visitors and reviewers meet it, for the page-level checks (valid HTML,
accessibility, CSP, security headers, screenshots).

`build_site()` loads the magnesium corpus (real article text is where markup goes
wrong) and adds what the corpus lacks: reviewers, ratings, a finalized claim with a
consensus, a conflict, a study with a link. `site_pages(site)` lists every page to
check, with the user who sees it. `test_page_inventory.py` fails when a URL is added
to the project without being listed here (or in NOT_PAGES with a reason).
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from analysis.readings import read_claims
from claims.models import Article, Claim, ClaimMatch, ClaimStatus, StudyDesign
from tests import factories


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str | None
    args: tuple = ()
    query: str = ""
    user: str | None = None  # username of the logged-in visitor; None for anonymous
    tags: frozenset = field(default_factory=frozenset)  # "main": in `make screenshots`
    status: int = 200
    path: str = ""  # for pages no route names (error pages)

    @property
    def url(self):
        path = self.path or reverse(self.url_name, args=self.args)
        return f"{path}?{self.query}" if self.query else path

    def exists(self):
        if self.path:
            return True
        try:
            reverse(self.url_name, args=self.args)
        except NoReverseMatch:
            return False
        return True


# Routes that are not HTML pages of the site, with the reason they are not checked.
NOT_PAGES = {
    "logout": "POST-only action",
    # The review page's forms post here; an invalid form re-renders the claim review
    # page (checked as a page, and with errors in test_page_markup.py).
    "review:link_study": "POST-only action",
    "review:add_study": "POST-only action",
    "review:unlink_study": "POST-only action",
    "review:add_flag": "POST-only action",
    "review:flag_state": "POST-only action",
    "review:consensus": "POST-only action",
    "review:reopen": "POST-only action",
    "review:decide_suggestion": "POST-only action (back to the suggestions page)",
    "review:publish_article": "POST-only action (a confirmation page, then back to the drafts page)",
    "review:decide_match": "POST-only action (its confirmation page is the reopen one's template)",
    "review:reuse_consensus": "POST-only action (its confirmation page is the reopen one's template)",
    "export_ratings": "CSV, not HTML (fuzzed in test_fuzz_public_urls.py, parsed in the public browser flow)",
    "export_claims": "CSV, not HTML (fuzzed in test_fuzz_public_urls.py)",
    # django.contrib.auth.urls brings these; the site does not link them and they
    # render Django's stock admin-styled templates.
    "password_change": "stock Django auth view, not linked",
    "password_change_done": "stock Django auth view, not linked",
    "password_reset": "stock Django auth view, not linked",
    "password_reset_done": "stock Django auth view, not linked",
    "password_reset_confirm": "stock Django auth view, not linked",
    "password_reset_complete": "stock Django auth view, not linked",
}
# URL namespaces left out as a whole.
NOT_PAGE_NAMESPACES = {"admin": "Django's admin, styled and tested by Django"}


def build_site():
    """The corpus plus reviewers' work; returns the objects the pages are about."""
    call_command("load_corpus", verbosity=0)
    alice = factories.make_reviewer("alice")
    bob = factories.make_reviewer("bob")
    carol = factories.make_lead("carol")

    claims = list(Claim.objects.select_related("article").order_by("article__title", "start", "id"))
    article = claims[0].article
    in_article = [c for c in claims if c.article_id == article.pk]

    # A finalized claim: two agreeing ratings, a consensus, a linked study (a
    # fictional DOI under the DOI handbook's example prefix).
    finalized = in_article[0]
    study = factories.make_study(
        citation="(Example et al. 2020)", doi="10.1000/xyz", title="An example trial", design=StudyDesign.RCT
    )
    factories.cite(finalized, study)
    factories.make_rating(finalized, alice, evidence_strength="very_low", verdict="does_not_support")
    factories.make_rating(finalized, bob, evidence_strength="very_low", verdict="does_not_support")
    consensus = factories.finalize(finalized, carol, rationale="The cited trial did not test this claim.")

    # A conflict: alice and bob disagree; carol has to settle it.
    conflict = in_article[1]
    factories.make_rating(conflict, alice, evidence_strength="low", verdict="partially")
    factories.make_rating(conflict, bob, evidence_strength="high", verdict="supports")

    # A claim nobody has rated yet, for the rating form.
    unrated = in_article[2]
    # A suggested match (a matcher's guess, undecided), for "The same claim elsewhere".
    ClaimMatch.objects.suggest(conflict.pk, unrated.pk, 0.5, ())

    # A claim the article importer suggested, in a draft article as imports are, for the
    # lead's suggestions and drafts pages.
    suggested = factories.make_claim(
        factories.make_article(
            text="An imported page. Magnesium cures everything. It is natural and safe.", published_at=None
        ),
        status=ClaimStatus.SUGGESTED,
        statement="Magnesium cures everything.",
    )
    # A page imported again after it changed (a plainly fictional brand): the published new
    # version shows the versions and what changed; a later draft version is on the drafts page.
    first = factories.make_article(
        text="Velmora Lozenges\n\nVelmora zinc lozenges shorten colds in adults.\n\nBuy two, get one free.",
        title="Velmora Lozenges",
        slug="velmora-lozenges",
    )
    factories.make_claim(first, "Velmora zinc lozenges shorten colds in adults.")
    changed = Article.objects.create(
        title="Velmora Lozenges",
        slug="velmora-lozenges-2",
        text="Velmora Lozenges\n\nVelmora zinc lozenges shorten colds in adults.\n\nNow with honey.",
        previous_version=first,
    )
    changed.publish(by=carol)
    Article.objects.create(
        title="Velmora Lozenges",
        slug="velmora-lozenges-3",
        text="Velmora Lozenges\n\nVelmora zinc lozenges shorten colds in adults.\n\nNow with lemon.",
        previous_version=changed,
    )
    # The automatic reading of every claim, as the importer and `make db` store it.
    read_claims(Claim.objects.all())
    return SimpleNamespace(
        alice=alice,
        bob=bob,
        carol=carol,
        article=article,
        finalized=finalized,
        consensus=consensus,
        conflict=conflict,
        unrated=unrated,
        suggested=suggested,
        study=study,
        earlier_version=first,
        new_version=changed,
    )


def site_pages(site):
    """Every page to check whose URL exists in this checkout."""
    return [page for page in _all_pages(site) if page.exists()]


def _all_pages(site):
    main = frozenset({"main"})
    return [
        # Public pages.
        Page("home", "home", tags=main),
        Page("claim list", "claim_list", tags=main),
        Page("claim list, filtered", "claim_list", query="population=animal&status=under_review"),
        Page("claim list, no results", "claim_list", query="q=zzzzqqqq"),
        Page("claim list, invalid filter", "claim_list", query="topic=not-a-topic", status=400),
        Page("claim list, page out of range", "claim_list", query="page=999999", status=400),
        Page("claim list, page not a number", "claim_list", query="status=finalized&page=abc", status=400),
        Page("claim list, unprintable search", "claim_list", query="q=%00", status=400),
        Page("claim list, flagged phrases", "claim_list", query="flag=any"),
        Page("claim list, overclaims", "claim_list", query="overclaim=any&wording=direct_causal"),
        Page("overclaims", "overclaims", tags=main),
        Page("finalized claim", "claim_detail", (site.finalized.pk,), tags=main),
        Page("claim under review", "claim_detail", (site.conflict.pk,)),
        Page("article list", "article_list"),
        Page("article", "article_detail", (site.article.slug,), tags=main),
        Page("article, a new version", "article_detail", (site.new_version.slug,)),
        Page("article, an earlier version", "article_detail", (site.earlier_version.slug,)),
        Page("study list", "study_list", tags=main),
        Page("study list, filtered", "study_list", query="identified=false&design=unknown"),
        Page("study list, invalid filter", "study_list", query="design=anecdote", status=400),
        Page("study list, page out of range", "study_list", query="page=99", status=400),
        Page("study", "study_detail", (site.study.pk,)),
        Page("stats", "stats", tags=main),
        Page("login", "login"),
        Page("not found", None, path="/no-such-page/", status=404),
        # Reviewer pages.
        Page("review queue", "review:queue", user="alice", tags=main),
        Page("review form, unrated", "review:claim", (site.unrated.pk,), user="alice", tags=main),
        Page("review form, rated", "review:claim", (site.conflict.pk,), user="alice"),
        Page("review form, lead on a conflict", "review:claim", (site.conflict.pk,), user="carol"),
        Page("review form, finalized", "review:claim", (site.finalized.pk,), user="carol"),
        Page("review queue, filtered", "review:queue", query=f"article={site.article.slug}", user="alice"),
        Page("conflicts", "review:conflicts", user="carol", tags=main),
        Page("conflicts, finalized", "review:conflicts", query="show=finalized", user="carol"),
        Page("conflicts, as a reviewer", "review:conflicts", user="alice"),
        Page("agreement", "review:agreement", user="carol"),
        Page("suggestions", "review:suggestions", user="carol"),
        Page("draft articles", "review:drafts", user="carol"),
    ]


def listed_url_names():
    return {page.url_name for page in _all_pages(_NameOnlySite()) if page.url_name} | set(NOT_PAGES)


class _NameOnlySite:
    """Stands in for a built site when only URL names are needed."""

    def __getattr__(self, name):
        return SimpleNamespace(pk=1, slug="x")
