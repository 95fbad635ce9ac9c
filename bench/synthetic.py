"""
Synthetic data for benchmarks and load tests: seeded, reproducible, clearly fake.

Everything made here is marked as such: articles have ``is_synthetic=True`` and
a ``synthetic-`` slug, studies are called "Synthetic study N" with DOIs under
the DOI handbook's example prefix 10.1000/, publishers and users are named
``Synthetic …`` / ``synthetic-…``. No author, PMID or URL is made up.

The same seed gives the same database content (ids aside). Rows are written
with ``bulk_create`` in batches, a chunk of articles at a time, so memory stays
flat; ``bulk_create`` skips ``save()`` and signals, so the content hash (and any
other derived column) is set here, and simple-history records nothing.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from claims import facets, search
from claims.models import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    Consensus,
    EvidenceStrength,
    Extrapolation,
    FlagSource,
    FlagState,
    MarketingCategory,
    MarketingFlag,
    Population,
    Rating,
    Study,
    StudyDesign,
    Topic,
    Verdict,
)
from claims.policy import LEAD_REVIEWERS_GROUP, REVIEWERS_GROUP

LARGE_ARTICLE_CLAIMS = 2000  # the benchmark's /articles/<slug>/ case
REVIEWER_COUNT = 50
LEAD_COUNT = 3
BATCH_SIZE = 2000
ARTICLES_PER_CHUNK = 100
SYNTHETIC_SLUG_PREFIX = "synthetic-"
SYNTHETIC_USER_PREFIX = "synthetic-"

FORMS = [
    "Magnesium",
    "Magnesium glycinate",
    "Magnesium citrate",
    "Magnesium L-threonate",
    "Magnesium oxide",
    "Magnesium malate",
    "Magnesium chloride",
    "Magnesium sulfate",
    "Magnesium taurate",
    "Transdermal magnesium oil",
]

# Per topic, outcomes phrased so that "<form> <verb> <outcome>" reads as a sentence.
OUTCOMES = {
    Topic.NEUROPATHIC_PAIN: ["neuropathic pain", "burning nerve pain", "diabetic neuropathy symptoms", "tingling"],
    Topic.MIGRAINE: ["migraine frequency", "migraine attacks", "headache severity", "aura symptoms"],
    Topic.SLEEP: ["sleep quality", "time to fall asleep", "night-time waking", "restless sleep"],
    Topic.ANXIETY_STRESS: ["anxiety", "stress hormone levels", "nervous tension", "low mood"],
    Topic.MUSCLE_CRAMPS: ["muscle cramps", "night-time leg cramps", "muscle twitching", "exercise soreness"],
    Topic.COGNITION: ["memory", "concentration", "brain fog", "learning speed"],
    Topic.INFLAMMATION: ["inflammation", "C-reactive protein levels", "joint swelling", "oxidative stress"],
    Topic.FIBROMYALGIA: ["fibromyalgia pain", "tender points", "fibromyalgia fatigue"],
    Topic.POSTOPERATIVE_PAIN: ["post-operative pain", "opioid use after surgery", "pain after surgery"],
    Topic.NERVE_REGENERATION: ["nerve regeneration", "axon regrowth", "recovery after nerve injury"],
    Topic.NERVE_SIGNALLING: ["nerve signalling", "NMDA receptor overactivity", "nerve excitability"],
    Topic.DEFICIENCY: ["magnesium deficiency", "low serum magnesium", "deficiency symptoms"],
    Topic.DOSAGE: ["the daily dose needed", "tolerance at high doses", "the best time to take it"],
    Topic.SAFETY: ["the risk of side effects", "digestive upset", "kidney strain"],
    Topic.ABSORPTION: ["absorption", "bioavailability", "uptake into the brain"],
    Topic.GENERAL: ["overall health", "energy levels", "wellbeing", "vitality"],
}
VERBS = ["improves", "reduces", "relieves", "may ease", "supports", "restores", "helps with", "normalises", "affects"]
POPULATION_PHRASES = {
    Population.HUMAN: [" in adults", " in older adults", " in people with type 2 diabetes", " in athletes"],
    Population.ANIMAL: [" in rats", " in mice", " in a rodent model"],
    Population.IN_VITRO: [" in cultured neurons", " in cell studies", " in isolated tissue"],
    Population.UNSPECIFIED: [""],
}
POPULATION_WEIGHTS = {Population.HUMAN: 5, Population.ANIMAL: 3, Population.IN_VITRO: 1, Population.UNSPECIFIED: 2}
DESIGNS_FOR = {
    Population.HUMAN: [
        StudyDesign.SYSTEMATIC_REVIEW,
        StudyDesign.RCT,
        StudyDesign.RCT,
        StudyDesign.NON_RANDOMISED,
        StudyDesign.COHORT,
        StudyDesign.CASE_CONTROL,
        StudyDesign.CROSS_SECTIONAL,
        StudyDesign.CASE_SERIES,
    ],
    Population.ANIMAL: [StudyDesign.ANIMAL],
    Population.IN_VITRO: [StudyDesign.IN_VITRO],
    Population.UNSPECIFIED: [StudyDesign.NARRATIVE_REVIEW, StudyDesign.EXPERT_OPINION, StudyDesign.UNKNOWN],
}
# Rough GRADE starting point by design: the "true" strength reviewers scatter around.
DESIGN_STRENGTH = {
    StudyDesign.SYSTEMATIC_REVIEW: 4,
    StudyDesign.RCT: 3,
    StudyDesign.NON_RANDOMISED: 2,
    StudyDesign.COHORT: 2,
    StudyDesign.CASE_CONTROL: 2,
    StudyDesign.CROSS_SECTIONAL: 1,
    StudyDesign.CASE_SERIES: 1,
    StudyDesign.ANIMAL: 1,
    StudyDesign.IN_VITRO: 1,
    StudyDesign.NARRATIVE_REVIEW: 1,
    StudyDesign.EXPERT_OPINION: 1,
    StudyDesign.UNKNOWN: 0,
}
STRENGTH_BY_RANK = {4: "high", 3: "moderate", 2: "low", 1: "very_low", 0: "none"}

CLAIM_OPENERS = ["", "", "", "Research suggests that ", "Many experts agree that ", "It is well known that "]
MARKETED_OPENERS = [("Studies show that ", "Studies show", MarketingCategory.VAGUE_AUTHORITY)]

FILLER = [
    "Magnesium is found in leafy greens, nuts, seeds and whole grains.",
    "Supplements come as capsules, powders, tablets and oils.",
    "Labels list the amount of elemental magnesium per serving.",
    "Readers often ask which form to choose.",
    "Talk to a doctor before starting any supplement.",
    "The body keeps most of its magnesium in bone and muscle.",
    "Blood tests measure only a small part of the body's magnesium.",
    "Some people take it in the evening, others with breakfast.",
    "This page is part of a synthetic data set made for testing.",
    "Diet, age and medicines can all change how much is absorbed.",
    "Several forms are sold under many brand names.",
    "Doses in trials differ widely from one study to the next.",
]
# (sentence template, phrase to flag, category). The phrase occurs exactly once in the sentence.
MARKETING_SENTENCES = [
    ("This miracle mineral is a game-changer for your nerves.", "miracle mineral", MarketingCategory.HYPE),
    ("It is completely natural, so it is gentle.", "completely natural", MarketingCategory.APPEAL_TO_NATURE),
    ("Our formula has no side effects at all.", "no side effects", MarketingCategory.ABSOLUTE),
    ("Order today while stocks last.", "Order today while stocks last", MarketingCategory.FEAR_URGENCY),
    ("Try our premium blend, made for everyday calm.", "Try our premium blend", MarketingCategory.PRODUCT_PROMOTION),
    (
        "It treats both the symptoms and the root cause.",
        "treats both the symptoms and the root cause",
        MarketingCategory.CAUSAL_OVERREACH,
    ),
    ("Doctors don't want you to know this simple secret.", "simple secret", MarketingCategory.HYPE),
    ("Magnesium cures nerve damage for good.", "cures nerve damage", MarketingCategory.DISEASE_CLAIM),
]

TITLE_PATTERNS = [
    "{form} and {topic}: what the evidence says",
    "Can {form_lower} help with {topic_lower}?",
    "The complete guide to {form_lower} for {topic_lower}",
    "{topic}: why magnesium matters",
    "Ten facts about {form_lower} and {topic_lower}",
]
NOTES = [
    "",
    "",
    "",
    "Cited study does not measure this outcome.",
    "Dose in the study is far above a supplement dose.",
    "Small sample; no control group.",
    "The article overstates the effect size.",
    "Outcome is a lab marker, not symptoms.",
    "Could not match the citation to the study described.",
]
RATIONALES = [
    "Reviewers agreed the cited evidence is {strength} for this claim.",
    "The panel rated the evidence {strength}; the article states it more strongly than the study.",
    "Rated {strength} after discussion of the study design and population.",
]


@dataclass
class Counts:
    articles: int = 0
    claims: int = 0
    studies: int = 0
    citations: int = 0
    ratings: int = 0
    consensus: int = 0
    flags: int = 0
    users: int = 0

    def as_dict(self):
        return dict(self.__dict__)


@dataclass
class _StudySpec:
    number: int
    topic: str
    population: str
    design: str
    year: int
    obj: Study = field(default=None, repr=False)

    @property
    def citation(self):
        return f"(Synthetic study {self.number}, {self.year})"


class _Rows:
    """
    Plain INSERTs through executemany, for the big tables: bulk_create compiles SQL
    for every object, which took most of the run time at 100k claims. Rows are
    tuples of database-ready values in `fields` order; the timestamps are added here.
    """

    def __init__(self, model, fields):
        self.model = model
        meta = model._meta
        qn = connection.ops.quote_name
        columns = [meta.get_field(name).column for name in fields] + ["created_at", "updated_at"]
        # Table and column names come from the model, values go in as parameters.
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            qn(meta.db_table), ", ".join(qn(c) for c in columns), ", ".join(["%s"] * len(columns))
        )
        self.copy_sql = "COPY {} ({}) FROM STDIN".format(qn(meta.db_table), ", ".join(qn(c) for c in columns))
        self.stamp = meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
        self._json_cache = {}

    def json(self, value):
        """A JSONField value ready for this database (few distinct values, so cached)."""
        key = tuple(value)
        if key not in self._json_cache:
            field = self.model._meta.get_field("extrapolation_concerns")
            self._json_cache[key] = field.get_db_prep_save(value, connection)
        return self._json_cache[key]

    def insert(self, rows):
        stamps = (self.stamp, self.stamp)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: several times faster than executemany on PostgreSQL.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row + stamps)
                return
            for i in range(0, len(rows), BATCH_SIZE):
                # The DB-API cursor under Django's wrapper: no per-query debug logging.
                cursor.cursor.executemany(self.sql, [row + stamps for row in rows[i : i + BATCH_SIZE]])


def has_real_articles():
    return Article.objects.real().exists()


def has_synthetic_articles():
    return Article.objects.filter(is_synthetic=True).exists()


def claims_per_article(rng, articles, claims):
    """How many claims each article gets: one large article, the rest heavy-tailed, at least one each."""
    if articles <= 0 or claims <= 0:
        return [0] * max(articles, 0)
    counts = [0] * articles
    large = LARGE_ARTICLE_CLAIMS if claims >= 2 * LARGE_ARTICLE_CLAIMS and articles > 1 else 0
    counts[0] = large
    rest_articles = articles - 1 if large else articles
    offset = 1 if large else 0
    remaining = claims - large
    base = 1 if remaining >= rest_articles else 0
    for i in range(rest_articles):
        counts[offset + i] = base
    remaining -= base * rest_articles
    weights = [min(rng.paretovariate(1.6), 30.0) for _ in range(rest_articles)]
    total = sum(weights)
    shares = [remaining * w / total for w in weights]
    floors = [int(s) for s in shares]
    leftover = remaining - sum(floors)
    by_fraction = sorted(range(rest_articles), key=lambda i: (shares[i] - floors[i], -i), reverse=True)
    for i in by_fraction[:leftover]:
        floors[i] += 1
    for i, n in enumerate(floors):
        counts[offset + i] += n
    return counts


def seed(articles, claims, ratings_per_claim, seed, progress=None):
    """Build the synthetic data set; returns Counts. Call inside a transaction."""
    # Row-by-row search-index triggers made a 100k-claim run five times slower:
    # drop them, load, then recreate them and rebuild the index in one pass.
    search.uninstall(connection)
    # The raw inserts send no signals: refreshing() derives every claim's filter facets in one UPDATE.
    with facets.refreshing(Claim.objects.all()):
        counts = _seed(articles, claims, ratings_per_claim, seed, progress)
        # Statistics before the set-based passes: to the planner, tables filled in this
        # transaction still look empty, and PostgreSQL planned the facet UPDATE's
        # subqueries as scans (over 16 minutes at 1,000,000 claims, 28 s at 100,000).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        search.install(connection)
    return counts


def refresh_statistics():
    """
    Planner statistics after a bulk load (and new indexes). On PostgreSQL also
    VACUUM, which sets the visibility map that index-only scans need (a count of
    90k claims took 55 ms before, 10 ms after); it cannot run in a transaction.
    """
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def _seed(articles, claims, ratings_per_claim, seed, progress):
    rng = random.Random(seed)
    counts = Counts()
    progress = progress or (lambda n: None)

    reviewers, leads = _users(counts)
    studies = _studies(rng, max(20, claims // 25), counts)
    studies_by_topic = {}
    for spec in studies:
        studies_by_topic.setdefault(spec.topic, []).append(spec)

    per_article = claims_per_article(rng, articles, claims)
    statuses = rng.choices(
        [ClaimStatus.FINALIZED, ClaimStatus.UNDER_REVIEW, ClaimStatus.SUGGESTED, ClaimStatus.REJECTED],
        weights=[50, 40, 6, 4],
        k=claims,
    )
    rating_counts = _rating_counts(rng, statuses, claims * ratings_per_claim, len(reviewers))
    topics = list(Topic.values)
    publishers = [f"Synthetic Publisher {i}" for i in range(1, 31)]

    claim_writer = _Rows(Claim, ["article", "quote", "start", "end", "statement", "topic", "population", "status"])
    citation_writer = _Rows(Citation, ["claim", "study", "added_by"])
    rating_writer = _Rows(
        Rating, ["claim", "reviewer", "evidence_strength", "verdict", "extrapolation_concerns", "notes"]
    )
    consensus_writer = _Rows(Consensus, ["claim", "evidence_strength", "verdict", "rationale", "decided_by"])
    flag_writer = _Rows(
        MarketingFlag, ["article", "claim", "start", "end", "text", "category", "state", "source", "raised_by"]
    )
    claim_index = 0
    for chunk_start in range(0, articles, ARTICLES_PER_CHUNK):
        chunk = range(chunk_start, min(chunk_start + ARTICLES_PER_CHUNK, articles))
        article_objs, claim_plans, flag_plans = [], [], []
        # Synthetic articles stand in for reviewed, public ones: published as they are made.
        published_at = timezone.now()
        for a in chunk:
            topic = rng.choice(topics)
            form = rng.choice(FORMS)
            n_claims = per_article[a]
            text, plans, flags = _article_text(rng, topic, n_claims, studies_by_topic, topics)
            title = rng.choice(TITLE_PATTERNS).format(
                form=form,
                form_lower=form[0].lower() + form[1:],
                topic=Topic(topic).label,
                topic_lower=Topic(topic).label.lower(),
            )
            article_objs.append(
                Article(
                    title=f"{title} (synthetic #{a + 1})",
                    slug=f"{SYNTHETIC_SLUG_PREFIX}{a + 1:05d}-{topic.replace('_', '-')}",
                    publisher=rng.choice(publishers),
                    retrieved_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(700)),
                    text=text,
                    content_hash=Article.hash_text(text),
                    promotes_product=rng.random() < 0.25,
                    is_synthetic=True,
                    published_at=published_at,
                )
            )
            claim_plans.append(plans)
            flag_plans.append(flags)
        Article.objects.bulk_create(article_objs, batch_size=BATCH_SIZE)
        counts.articles += len(article_objs)

        claim_rows, claim_meta = [], []
        for article, plans in zip(article_objs, claim_plans, strict=True):
            for plan in plans:
                status = statuses[claim_index]
                claim_rows.append(
                    (
                        article.pk,
                        plan["quote"],
                        plan["start"],
                        plan["start"] + len(plan["quote"]),
                        plan["statement"],
                        plan["topic"],
                        plan["population"],
                        status,
                    )
                )
                claim_meta.append((article.pk, plan, status, rating_counts[claim_index]))
                claim_index += 1
        claim_writer.insert(claim_rows)
        counts.claims += len(claim_rows)
        # (article, start) is unique within the synthetic text, so it finds each new claim's id.
        new_claims = Claim.objects.filter(article__in=article_objs).values_list("pk", "article_id", "start")
        claim_ids = {(article_id, start): pk for pk, article_id, start in new_claims}

        citations, ratings, consensus, flags = [], [], [], []
        plan_claim_ids = {}
        for article_id, plan, status, n_ratings in claim_meta:
            claim_id = claim_ids[article_id, plan["start"]]
            plan_claim_ids[id(plan)] = claim_id
            citations.extend((claim_id, spec.obj.pk, None) for spec in plan["studies"])
            true_rank = _true_rank(plan)
            claim_ratings = []
            for reviewer in rng.sample(reviewers, n_ratings):
                rank = max(0, min(4, true_rank + rng.choice((-1, 0, 0, 0, 1))))
                claim_ratings.append(
                    (
                        claim_id,
                        reviewer.pk,
                        STRENGTH_BY_RANK[rank],
                        _verdict(rng, plan, rank),
                        rating_writer.json(_concerns(rng, plan)),
                        rng.choice(NOTES),
                    )
                )
            ratings.extend(claim_ratings)
            if status == ClaimStatus.FINALIZED:
                consensus.append(_consensus(rng, claim_id, plan, true_rank, claim_ratings, leads))
        for article, article_flags in zip(article_objs, flag_plans, strict=True):
            for flag in article_flags:
                state = rng.choices([FlagState.CONFIRMED, FlagState.SUGGESTED, FlagState.DISMISSED], [50, 35, 15])[0]
                source = rng.choice([FlagSource.DETECTOR, FlagSource.REVIEWER])
                flags.append(
                    (
                        article.pk,
                        plan_claim_ids[id(flag["plan"])] if flag["plan"] is not None else None,
                        flag["start"],
                        flag["start"] + len(flag["text"]),
                        flag["text"],
                        flag["category"],
                        state,
                        source,
                        rng.choice(reviewers).pk if source == FlagSource.REVIEWER else None,
                    )
                )
        citation_writer.insert(citations)
        rating_writer.insert(ratings)
        consensus_writer.insert(consensus)
        flag_writer.insert(flags)
        counts.citations += len(citations)
        counts.ratings += len(ratings)
        counts.consensus += len(consensus)
        counts.flags += len(flags)
        progress(len(claim_rows))
    return counts


def _users(counts):
    User = get_user_model()
    reviewers_group = Group.objects.get(name=REVIEWERS_GROUP)
    leads_group = Group.objects.get(name=LEAD_REVIEWERS_GROUP)

    def make(username, group):
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_unusable_password()  # log in as one only after setting a password deliberately
            user.save(update_fields=["password"])
            counts.users += 1
        user.groups.add(group)
        return user

    reviewers = [
        make(f"{SYNTHETIC_USER_PREFIX}reviewer-{i:02d}", reviewers_group) for i in range(1, REVIEWER_COUNT + 1)
    ]
    leads = [make(f"{SYNTHETIC_USER_PREFIX}lead-{i}", leads_group) for i in range(1, LEAD_COUNT + 1)]
    return reviewers, leads


def _studies(rng, n, counts):
    topics = list(Topic.values)
    populations = list(POPULATION_WEIGHTS)
    weights = list(POPULATION_WEIGHTS.values())
    specs = []
    for number in range(1, n + 1):
        topic = rng.choice(topics)
        population = rng.choices(populations, weights)[0]
        design = rng.choice(DESIGNS_FOR[population])
        specs.append(_StudySpec(number, topic, population, design, rng.randrange(1990, 2025)))
    objs = []
    for spec in specs:
        outcome = rng.choice(OUTCOMES[spec.topic])
        spec.obj = Study(
            citation=spec.citation,
            title=f"Synthetic study {spec.number}: magnesium and {outcome}",
            year=spec.year,
            design=spec.design,
            # 10.1000 is the DOI handbook's example prefix: clearly not a real study.
            doi=f"10.1000/mgreview-synthetic-{spec.number}" if rng.random() < 0.4 else "",
        )
        objs.append(spec.obj)
    Study.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    counts.studies += len(objs)
    return specs


def _rating_counts(rng, statuses, total, reviewer_count):
    """Spread `total` ratings over the claims a reviewer would rate (all but suggested)."""
    eligible = [i for i, s in enumerate(statuses) if s != ClaimStatus.SUGGESTED]
    counts = [0] * len(statuses)
    if not eligible:
        return counts
    base, extra = divmod(total, len(eligible))
    base = min(base, reviewer_count)
    for i in eligible:
        counts[i] = base
    if base < reviewer_count:
        for i in rng.sample(eligible, min(extra, len(eligible))):
            counts[i] += 1
    return counts


def _article_text(rng, topic, n_claims, studies_by_topic, topics):
    """The article text plus claim plans and marketing flags, with exact offsets."""
    parts, plans, flags = [], [], []
    pos = 0
    sentences_in_paragraph = 0
    paragraph_length = rng.randint(3, 7)
    filler_between = rng.choice((1, 1, 2))

    def add(sentence):
        nonlocal pos, sentences_in_paragraph, paragraph_length
        if parts:
            sep = " "
            if sentences_in_paragraph >= paragraph_length:
                sep, sentences_in_paragraph, paragraph_length = "\n\n", 0, rng.randint(3, 7)
            parts.append(sep)
            pos += len(sep)
        start = pos
        parts.append(sentence)
        pos += len(sentence)
        sentences_in_paragraph += 1
        return start

    for _ in range(rng.randint(1, 3)):
        add(rng.choice(FILLER))
    for _ in range(n_claims):
        plan = _claim_plan(rng, topic if rng.random() < 0.7 else rng.choice(topics), studies_by_topic)
        plan["start"] = add(plan["quote"])
        plans.append(plan)
        if plan["marketing"]:
            offset, text, category = plan["marketing"]
            flags.append({"start": plan["start"] + offset, "text": text, "category": category, "plan": plan})
        for _ in range(rng.randint(0, filler_between)):
            if rng.random() < 0.15:
                sentence, phrase, category = rng.choice(MARKETING_SENTENCES)
                start = add(sentence)
                flag_start = start + sentence.index(phrase)
                flags.append({"start": flag_start, "text": phrase, "category": category, "plan": None})
            else:
                add(rng.choice(FILLER))
    add(rng.choice(FILLER))
    # A phrase repeated in the same place would break one_flag_per_span; offsets are unique by construction.
    return "".join(parts), plans, flags


def _claim_plan(rng, topic, studies_by_topic):
    population = rng.choices(list(POPULATION_WEIGHTS), list(POPULATION_WEIGHTS.values()))[0]
    form = rng.choice(FORMS)
    verb = rng.choice(VERBS)
    outcome = rng.choice(OUTCOMES[topic])
    where = rng.choice(POPULATION_PHRASES[population])
    n_cited = rng.choices((0, 1, 2), (30, 55, 15))[0]
    pool = studies_by_topic.get(topic) or [s for group in studies_by_topic.values() for s in group]
    cited = rng.sample(pool, min(n_cited, len(pool)))
    # As articles write it: "(Synthetic study 12, 2003; Synthetic study 40, 2011)".
    citation_text = " (" + "; ".join(s.citation[1:-1] for s in cited) + ")" if cited else ""
    marketing = None
    if rng.random() < 0.08:
        opener, phrase, category = MARKETED_OPENERS[0]
        marketing = (0, phrase, category)
    else:
        opener = rng.choice(CLAIM_OPENERS)
    subject = form if not opener else form[0].lower() + form[1:]
    quote = f"{opener}{subject} {verb} {outcome}{where}{citation_text}."
    return {
        "quote": quote,
        "statement": f"{form} {verb} {outcome}{where}.",
        "topic": topic,
        "population": population,
        "studies": cited,
        "marketing": marketing,
    }


def _true_rank(plan):
    if not plan["studies"]:
        return 0
    rank = max(DESIGN_STRENGTH[s.design] for s in plan["studies"])
    if plan["population"] == Population.HUMAN and all(s.population != Population.HUMAN for s in plan["studies"]):
        rank = min(rank, 1)
    return rank


def _verdict(rng, plan, rank):
    if not plan["studies"]:
        return Verdict.NOT_FOUND
    if rank >= 3:
        return rng.choices([Verdict.SUPPORTS, Verdict.PARTIALLY, Verdict.DOES_NOT_SUPPORT], [6, 3, 1])[0]
    if rank >= 2:
        return rng.choices([Verdict.SUPPORTS, Verdict.PARTIALLY, Verdict.DOES_NOT_SUPPORT], [2, 5, 3])[0]
    return rng.choices([Verdict.PARTIALLY, Verdict.DOES_NOT_SUPPORT, Verdict.NOT_FOUND], [4, 5, 1])[0]


def _concerns(rng, plan):
    designs = {s.design for s in plan["studies"]}
    concerns = []
    if StudyDesign.ANIMAL in designs and rng.random() < 0.8:
        concerns.append(Extrapolation.ANIMAL_TO_HUMAN.value)
    if StudyDesign.IN_VITRO in designs and rng.random() < 0.8:
        concerns.append(Extrapolation.IN_VITRO_TO_HUMAN.value)
    if designs & {StudyDesign.COHORT, StudyDesign.CROSS_SECTIONAL} and rng.random() < 0.5:
        concerns.append(Extrapolation.CORRELATION_TO_CAUSATION.value)
    if rng.random() < 0.1:
        concerns.append(rng.choice([Extrapolation.DOSE.value, Extrapolation.SURROGATE_OUTCOME.value]))
    return concerns


def _consensus(rng, claim_id, plan, true_rank, claim_ratings, leads):
    """A consensus row: the median strength and the commonest verdict of the claim's ratings."""
    if claim_ratings:
        ranks = sorted(EvidenceStrength.rank(strength) for _, _, strength, *_ in claim_ratings)
        rank = ranks[len(ranks) // 2]
        verdicts = [verdict for _, _, _, verdict, *_ in claim_ratings]
        verdict = max(Verdict.values, key=lambda v: (verdicts.count(v), -Verdict.values.index(v)))
    else:
        rank, verdict = true_rank, _verdict(rng, plan, true_rank)
    strength = STRENGTH_BY_RANK[rank]
    rationale = rng.choice(RATIONALES).format(strength=EvidenceStrength(strength).label.lower())
    return (claim_id, strength, verdict, rationale, rng.choice(leads).pk)
