"""
The word lists behind the wording classifier (analysis/language.py): verbs of
cause, phrases of association, hedges, boosters, negations and the frames that
turn a sentence into a recommendation or a question. General English of
research reporting and health writing, not phrases of any one text.
"""


def _words(text):
    return frozenset(text.split())


# Verbs that state a cause when used as a finite verb ("magnesium reduces pain").
CAUSE_VERBS = _words(
    """
    accelerate activate affect aggravate alleviate alter ameliorate amplify attenuate avert benefit
    block boost calm cause combat confer contribute counteract cure cut damage dampen decrease delay
    deplete diminish disrupt down-regulate downregulate drive ease elevate eliminate energise energize
    enhance exacerbate facilitate fight halt harm heal help hinder impact impair impart improve increase
    induce influence inhibit interfere lessen lower maintain maximise maximize mediate minimise minimize
    mitigate modify modulate normalise normalize optimise optimize outperform potentiate predispose
    prevent produce prolong promote protect raise reduce regenerate regulate relieve repair restore
    reverse shorten slow soothe stabilise stabilize stimulate strengthen support suppress treat trigger
    up-regulate upregulate worsen relax encourage ensure oppose deactivate antagonise antagonize
    """
)

# What "supports" means when it is evidence, not a cause ("supports the hypothesis").
SUPPORTED_IDEAS = _words(
    """
    hypothesis hypotheses view views idea ideas notion findings finding conclusion conclusions use role need
    evidence recommendation recommendations concept theory claim importance possibility implementation
    development effort efforts strategy strategies policy policies further previous prior earlier results
    data observations link association model approach inclusion adoption
    """
)

# What, as the subject of "supports", is evidence ("the data support …").
EVIDENCE = _words(
    """
    findings finding results result data study studies evidence analysis analyses observations trial trials
    review research work experience this these provide provides provided empirical clear
    """
)

# Verbs of change that, used without an object ("levels increased in …"), describe
# a difference, not a cause.
CHANGE_VERBS = _words("decrease decline drop fall improve increase rise worsen reduce lower")

# A change after or with one of these is its outcome: "after magnesium therapy, pain decreased".
TREATMENTS = _words(
    "treatment treatments therapy therapies medication supplementation supplements intervention interventions"
)
TREATMENT_TIES = _words("after with following when on")

# Participles that also serve as adjectives ("elevated blood pressure", "impaired function").
PARTICIPLE_ADJECTIVES = CHANGE_VERBS | _words(
    "affect alter delay deplete diminish elevate enhance impair prolong raise"
)

# Irregular forms: base -> (third person, past, participle, gerund).
IRREGULAR = {
    "cut": ("cuts", "cut", "cut", "cutting"),
    "drive": ("drives", "drove", "driven", "driving"),
    "fight": ("fights", "fought", "fought", "fighting"),
    "lead": ("leads", "led", "led", "leading"),
    "give": ("gives", "gave", "given", "giving"),
}

# Verb + particle that together state a cause.
CAUSE_PHRASAL = [
    ("lead", ("to",)),
    ("result", ("in",)),
    ("contribute", ("to",)),
    ("give", ("rise", "to")),
    ("account", ("for",)),
    ("translate", ("into",)),
    ("translate", ("to",)),
    ("assist", ("in",)),
    ("provide", ("relief",)),
    ("make", ("a", "difference")),
]

# Adjectives that state a cause when said of something ("is effective", "proved harmful").
CAUSE_ADJECTIVES = _words(
    """
    effective efficacious beneficial protective harmful detrimental deleterious noninferior non-inferior
    superior inferior toxic successful causative neuroprotective cardioprotective hepatoprotective
    renoprotective curative analgesic
    """
)

# Nouns that name a causal relationship ("had no effect on", "a remedy for");
# a heading naming them asserts nothing.
CAUSE_NOUN_PHRASES = [
    ("effect", "on"),
    ("effects", "on"),
    ("effect", "of"),
    ("effects", "of"),
    ("impact", "on"),
    ("influence", "on"),
    ("benefit", "of"),
    ("benefit", "in"),
    ("benefit", "for"),
    ("role", "in"),
    ("responsible", "for"),
    ("treatment", "for"),
    ("remedy", "for"),
    ("cure", "for"),
    ("key", "to"),
    ("causal",),
    ("determinant", "of"),
    ("determinant", "for"),
    ("determinants", "of"),
    ("determinants", "for"),
]

# Association, prediction, difference: a relationship with no cause named.
ASSOCIATION_PHRASES = [
    ("associated",),
    ("association",),
    ("associations",),
    ("associate", "with"),
    ("associates", "with"),
    ("correlated",),
    ("correlates",),
    ("correlation",),
    ("correlations",),
    ("correlational",),
    ("related", "to"),
    ("related", "with"),
    ("relationship",),
    ("relationships",),
    ("relation", "between"),
    ("relation", "to"),
    ("relation", "with"),
    ("linked", "to"),
    ("linked", "with"),
    ("link", "between"),
    ("link", "with"),
    ("links", "between"),
    ("connected", "to"),
    ("connected", "with"),
    ("connection", "between"),
    ("tied", "to"),
    ("predict",),
    ("predicts",),
    ("predicted",),
    ("predicting",),
    ("predictor",),
    ("predictors",),
    ("predictive",),
    ("risk", "factor"),
    ("risk", "factors"),
    ("more", "likely"),
    ("less", "likely"),
    ("likelihood", "of"),
    ("odds",),
    ("hazard",),
    ("coincided", "with"),
    ("coincides", "with"),
    ("accompanied", "by"),
    ("in", "relation", "to"),
    ("depends", "on"),
    ("dependent", "on"),
    ("varied", "with"),
    ("varies", "with"),
    ("differed",),
    ("differ",),
    ("differs",),
    ("difference",),
    ("differences",),
    ("prognostic",),
    ("marker",),
    ("markers",),
    ("biomarker",),
    ("biomarkers",),
    ("indicator",),
    ("indicators",),
    ("indicative", "of"),
    ("correlate",),
    ("prediction",),
    ("inversely",),
    ("positively",),
    ("negatively",),
    ("at", "increased", "risk"),
    ("at", "higher", "risk"),
    ("at", "greater", "risk"),
    ("at", "lower", "risk"),
    ("at", "risk"),
    ("higher", "risk"),
    ("lower", "risk"),
    ("greater", "risk"),
    ("prevalent",),
    ("deficient", "in"),
    ("common", "in"),
    ("common", "among"),
    ("frequent", "in"),
    ("frequent", "among"),
]

# Words that compare groups ("people with low X have more Y"): a relationship
# when the sentence compares (COMPARISON_FRAMES) or says a group is or has it.
COMPARATIVES = _words(
    """
    higher lower greater fewer more less better worse larger smaller increased decreased reduced elevated
    improved shorter longer poorer
    """
)
# Nouns of change ("an improvement in pain"): a difference observed, no cause named.
CHANGE_NOUN_PHRASES = [
    (noun, preposition)
    for noun in _words(
        """
        increase increases decrease decreases reduction reductions improvement improvements decline rise drop
        change changes
        """
    )
    for preposition in ("in", "of")
]
# Verbs that report what a group showed ("patients reported less pain").
SHOWING = _words("show shows showed displayed exhibited experienced reported presented")
# Levels a group is said to have ("patients had low vitamin D").
LEVELS = _words("low high")
COMPARISON_FRAMES = _words("than compared versus vs vs. among with without")

# Modal hedges that weaken the verb they govern.
HEDGE_MODALS = _words("may might could would")
# Modals that state a cause as fact ("can reduce", "will reduce").
FACT_MODALS = _words("can cannot will does do did")
ALL_MODALS = HEDGE_MODALS | FACT_MODALS | _words("should must shall")
# Hedging words that weaken the verb they govern.
HEDGE_ADVERBS = _words(
    """
    possibly probably perhaps potentially presumably conceivably plausibly likely unlikely apparently
    seemingly putatively
    """
)
# Hedging adjectives that weaken the causal noun they qualify ("a potential treatment").
HEDGE_ADJECTIVES = _words("potential possible putative plausible probable promising")
HEDGES = HEDGE_MODALS | HEDGE_ADVERBS | HEDGE_ADJECTIVES
# Verbs before "to" + a causal verb that hedge it ("appears to reduce").
HEDGE_RAISING = _words(
    """
    appear appears appeared seem seems seemed thought believed expected likely tend tends tended
    hypothesized hypothesised proposed speculated suspected
    """
)
# Words that open a hedged complement: everything after them is hedged.
HEDGE_FRAMES = [
    ("suggest",),
    ("suggests",),
    ("suggested",),
    ("suggesting",),
    ("suggestive",),
    ("speculate",),
    ("hypothesize",),
    ("hypothesise",),
    ("hypothesis",),
    ("believe",),
    ("believes",),
    ("think",),
    ("thinks",),
    ("believed", "that"),
    ("thought", "that"),
    ("it", "is", "possible"),
    ("it", "is", "likely"),
    ("it", "is", "plausible"),
    ("imply",),
    ("implies",),
]

# Words before "to" + a causal verb that state it as established ("proven to reduce").
BOOSTER_RAISING = _words("shown proven proved found known demonstrated confirmed established able reported observed")
BOOSTERS = _words(
    """
    proven clearly definitely conclusively undoubtedly certainly undeniably unquestionably
    unequivocally convincingly decisively
    """
)

NEGATIONS = _words("not no never neither nor without cannot n't none")
NEGATION_PHRASES = [("failed", "to"), ("fail", "to"), ("fails", "to"), ("lack", "of"), ("absence", "of")]

# Frames that make a sentence a recommendation, an aim or an open question:
# the relationships in their clause are proposed, not stated.
OPEN_FRAMES = [
    ("should",),
    ("must",),
    ("need", "to"),
    ("needs", "to"),
    ("warrant",),
    ("warrants",),
    ("recommend",),
    ("recommends",),
    ("future",),
    ("further", "studies"),
    ("further", "research"),
    ("further", "study"),
    ("further", "investigation"),
    ("further", "trials"),
    ("whether",),
    ("no", "evidence"),
    ("little", "evidence"),
    ("insufficient", "evidence"),
    ("lack", "of", "evidence"),
    ("unclear",),
    ("unknown",),
    ("need", "for"),
    ("need", "of"),
    ("to", "determine"),
    ("to", "evaluate"),
    ("to", "assess"),
    ("to", "investigate"),
    ("to", "examine"),
    ("to", "explore"),
    ("to", "clarify"),
    ("to", "establish"),
    ("to", "elucidate"),
    ("to", "identify"),
    ("to", "understand"),
    ("to", "test"),
]
# The same, but only said of something: "studies are needed", not "the needed dose".
OPEN_PREDICATES = _words("needed required necessary recommended warranted")
# Nouns of effect that state a cause as what something has or exerts ("had an additive effect").
EFFECT_NOUNS = _words("effect effects impact impacts benefit benefits consequence consequences")
EFFECT_VERBS = _words(
    "has have had having exert exerts exerted exerting show shows showed shown confer confers conferred"
)
# Phrases that contain a cue word but are not one.
NEUTRAL_PHRASES = [("in", "the", "future"), ("as", "a", "result"), ("no", "longer")]

# What something is for, said of it: "is essential for nerve function", "is critical to creating
# signals", "is needed for sleep". A role in a process states that it brings the process about (the
# corpus labelling's convention, and how a reader takes it); said of nothing ("an essential
# mineral", "it is essential to choose") it is no relationship.
ROLE_ADJECTIVES = _words("essential critical crucial vital indispensable important key good")
# "needed to", "required to" are left to OPEN_PREDICATES: "studies are needed to confirm" asks.
ROLE_PHRASES = [(word, preposition) for word in ROLE_ADJECTIVES for preposition in ("for", "to", "in")] + [
    (word, "for") for word in ("necessary", "needed", "required")
]
# Roles stated with a verb, whatever governs it.
ROLE_VERB_PHRASES = [(verb, "a", "part", "in") for verb in ("play", "plays", "played", "playing")] + [
    (verb, "as", article) for verb in ("act", "acts", "acted", "acting") for article in ("a", "an")
]

# Words that state a relationship only under a hedge: "may be useful for",
# "could be due to", "might be involved in". Unhedged, they evaluate or describe.
HEDGED_ONLY = [
    ("useful",),
    ("helpful",),
    ("valuable",),
    ("important",),
    ("crucial",),
    ("critical",),
    ("essential",),
    ("promising",),
    ("favorable",),
    ("favourable",),
    ("advantageous",),
    ("advantage",),
    ("advantages",),
    ("implicated",),
    ("involved", "in"),
    ("due", "to"),
    ("result", "of"),
    ("consequence", "of"),
    ("role", "of"),
]

# "symptoms of magnesium deficiency": a shortage named as what brings symptoms about.
SYMPTOM_PHRASES = [(noun, "of") for noun in ("sign", "signs", "symptom", "symptoms")]
SHORTAGES = _words("deficiency deficiencies deficient insufficiency shortage lack depletion")

# Of these, the ones that, said of something, attribute it to a cause: "cramps are the result of
# low magnesium" (a cause stated), "is due to" (likewise).
ATTRIBUTIONS = frozenset({("due", "to"), ("result", "of"), ("consequence", "of")})

# Directions of a relationship ("inversely related"), and words after them that show none.
DIRECTIONS = _words("positively negatively inversely")
NOT_RELATED = _words("charged")

ANIMALS = _words(
    """
    mice mouse murine rat rats rodent rodents animal animals piglets pigs rabbits zebrafish primates
    monkeys hamsters guinea-pigs
    """
)

# Words read past when looking from a verb back to what governs it.
ADVERBS = _words(
    """
    significantly substantially markedly greatly strongly effectively also further still indeed directly
    independently partially partly fully considerably modestly slightly dramatically consistently
    additionally dose-dependently even really actually both only mainly largely particularly especially
    not never clearly definitely certainly possibly probably perhaps potentially likely unlikely
    apparently presumably conceivably plausibly undoubtedly conclusively naturally safely quickly rapidly
    statistically moderately progressively gradually often always sometimes
    """
)
# Words ending in -ly that are not adverbs.
NOT_ADVERBS = _words("family supply apply rely reply italy assembly anomaly july ally")
BE = _words("is are was were be been being")
# Verbs that, like "is", link a subject to what is said of it ("proved effective").
LINKING = BE | _words("become becomes became remain remains remained prove proves proved proven considered found shown")
# Words read past between a linking verb and its adjective ("is as effective as", "was safe and effective").
DEGREE = _words("more most less least as equally highly very similarly comparably a an safe and well")
HAVE = _words("has have had having")
DETERMINERS = _words(
    """
    a an the this that these those its their his her our your my any each every some no more less most
    such both either neither all many much several another
    """
)
PREPOSITIONS = _words(
    """
    of in on at by for with from to into onto than between among amongst after before during over under
    within without against about across through throughout per via upon toward towards as
    """
)
CONJUNCTIONS = _words("and or but nor")
DEMONSTRATIVES = _words("this that these those")
# After a comma, these open a new clause ("…, though further study is warranted").
CLAUSE_OPENERS = _words("but whereas while however although though which so therefore thus")
# Clause openers after which a relationship is a side remark of the main claim.
SUBORDINATORS = _words(
    "which who whom whose whereas while although though because since suggesting indicating implying"
)
# A sentence opened by these asks: "Why magnesium matters", "How magnesium helps nerves".
WH_OPENERS = _words("how why what whether")
# A heading opened by these asks too: "Can magnesium help nerve pain".
QUESTION_OPENERS = _words("does do did can could is are was were will would should may might has have")
HEADING_MAX_WORDS = 12
HELP = _words("help helps helped helping")
# Gerunds that, after "is", are adjectives of feeling: "the results are encouraging".
GERUND_ADJECTIVES = _words("encouraging relaxing soothing calming")
# Common finite verbs that show a clause before a comma has its own verb.
FINITE_HINTS = _words("makes offers provides gives acts plays allows lets keeps")
# Nouns of a power something has, before "to" + a causal verb: "magnesium's ability to reduce
# inflammation" states that it does.
ABILITY = _words("ability capacity power")
