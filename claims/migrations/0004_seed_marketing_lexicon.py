"""
Seed the starter marketing-language lexicon: phrases and patterns for the
eight categories, each with the one-line explanation shown to the public.

Sources the entries were drawn from (see docs/detection.md):
- US law: a dietary supplement may not claim to "diagnose, mitigate, treat,
  cure, or prevent" a disease (21 U.S.C. 343(r)(6)); FDA's criteria for a
  disease claim (21 CFR 101.93(g)(2)) include effects on a disease or its
  characteristic symptoms, presenting a product as a substitute for a drug or
  as belonging to a drug class, and citing publications about a disease.
- FTC Health Products Compliance Guidance (2022): claims about the level of
  support ("studies show", "clinically proven") need that support; "natural"
  is not a substitute for safety evidence.
- FDA's consumer warnings on health fraud: "miracle cure", "scientific
  breakthrough", "secret ingredient", "all natural", "no side effects",
  "quick fix", "guaranteed results", "limited time", one product for many
  diseases.

Matching: phrases match whole words in any case; regexes are matched in any
case and carry their own word boundaries. Lead reviewers edit the lexicon in
the admin; this migration only seeds it, and leaves edited rows alone on reverse.
"""

from django.db import migrations

# Conditions a supplement may not claim to treat: diseases, and their characteristic symptoms.
CONDITION = (
    r"(?:pains?|aches?|neuropath\w*|neuralgia|sciatica|migraines?|headaches?|arthritis|fibromyalgia|insomnia|"
    r"anxiety|depression|diabetes|alzheimer\S*|dementia|cancers?|tumou?rs?|hypertension|high blood \w+|"
    r"restless legs?|cramps?|spasms?|twitch\w*|inflammation|constipation|asthma|osteoporosis|heart disease|strokes?|"
    r"diseases?|disorders?|syndromes?|symptoms|infections?|illness\w*|dysmenorrh\w*|adhd|covid\S*|"
    r"cognitive decline|nerve damage|neurodegenerat\w*|(?:pre-?)?eclampsia|kidney stones|pms|premenstrual \w+|"
    r"sleep (?:issues|problems|disturbances|disorders)|trouble sleeping|sleeplessness|"
    # Vague stand-ins for a condition ("nerve-related issues", "these conditions"): the verb before them makes the claim.
    r"conditions|ailments|issues|problems|complaints|discomfort)\b"
)
# A condition named as something relieved or managed ("pain relief", "anxiety management").
CONDITION_NOUN = (
    r"(?:pain|ache|neuropathy|nerve|migraine|headache|arthritis|cramp|spasm|anxiety|depression|insomnia|"
    r"inflammation|symptom|symptomatic|joint|muscle|back)"
)
# Up to N words between a verb and the condition it targets ("prevent the onset of migraines").
# "and/or" counts as one word.
GAP4 = r"(?:[\w'’/-]+,?\s+){0,4}?"
GAP5 = r"(?:[\w'’/-]+,?\s+){0,5}?"
GAP2 = r"(?:[\w'’/-]+,?\s+){0,2}?"

DISEASE = "disease-claim"
ABSOLUTE = "absolute"
HYPE = "hype"
NATURE = "appeal-to-nature"
AUTHORITY = "vague-authority"
PROMOTION = "product-promotion"
FEAR = "fear-urgency"
CAUSAL = "causal-overreach"

DISEASE_WHY = (
    "Says a supplement treats, cures, prevents or relieves a disease or its symptoms; US law does not allow "
    "supplements to make such claims."
)

# (category, pattern, is_regex, explanation)
LEXICON = [
    # --- Disease claims (21 U.S.C. 343(r)(6); 21 CFR 101.93(g)(2)) ---
    (DISEASE, r"\b(?:treat|cur|heal)(?:s|es|ed|ing|e)?\s+" + GAP4 + CONDITION, True, DISEASE_WHY),
    (DISEASE, r"\b(?:prevent(?:s|ed|ing)?|prevention\s+of)\s+" + GAP5 + CONDITION, True, DISEASE_WHY),
    (
        DISEASE,
        r"\b(?:relieve[sd]?|relieving|alleviat(?:e|es|ed|ing)|eases?|easing|soothes?|soothing)\s+" + GAP4 + CONDITION,
        True,
        DISEASE_WHY,
    ),
    (DISEASE, r"\b(?:mitigat|revers|eliminat|fight|combat|attenuat|block)\w*\s+" + GAP4 + CONDITION, True, DISEASE_WHY),
    (
        DISEASE,
        r"\b(?:reduc(?:e|es|ed|ing)|decreas(?:e|es|ed|ing)|lower(?:s|ed|ing)?|lessen(?:s|ed|ing)?|diminish(?:es|ed|ing)?|"
        r"cut(?:s|ting)?\s+down\s+on|improv(?:e|es|ed|ing)|shut(?:s|ting)?\s+(?:off|down))\s+" + GAP4 + CONDITION,
        True,
        "Says a supplement reduces or improves a disease or its symptoms: a treatment claim supplements may not make.",
    ),
    (
        DISEASE,
        r"\b(?:incidence|frequency|severity|intensity|number|duration)\s+of\s+"
        + GAP2
        + CONDITION
        + r"(?:\s+[\w-]+)?\s+(?:(?:was|were|is|are)\s+)?(?:significantly\s+)?(?:decreased|reduced|dropped|fell|declined|improved|lessened)\b",
        True,
        "Reports fewer or milder attacks of a condition as a supplement's effect: a treatment claim.",
    ),
    (
        DISEASE,
        r"\bsupport(?:s|ed|ing)?\s+" + GAP2 + CONDITION,
        True,
        "'Supports' a disease or its symptoms: a treatment claim worded as a structure/function claim.",
    ),
    (
        DISEASE,
        r"\b" + CONDITION_NOUN + r"(?:\s+or\s+[\w-]+)?\s+(?:relief|management|relievers?)\b"
        r"|\b(?:provides?|providing|offers?|offering|brings?|bringing|gives?|giving)\s+(?:[\w-]+\s+){0,2}?relief\b",
        True,
        "Presents a supplement as relief for a condition or its symptoms: a treatment claim.",
    ),
    (
        DISEASE,
        r"\bused\s+(?:clinically\s+)?(?:to\s+treat|for|in\s+the\s+treatment\s+of|against)\s+" + GAP4 + CONDITION,
        True,
        "Says a supplement is used to treat a condition: a treatment claim.",
    ),
    (
        DISEASE,
        r"\b(?:effective|successful)\s+(?:at|in)\s+\w+ing\s+" + GAP4 + CONDITION,
        True,
        "Says a supplement is effective against a condition: a treatment claim.",
    ),
    (
        DISEASE,
        r"\b(?:improves?|improved|resolves?|resolved|disappears?|disappeared)\s+with\s+(?:[\w-]+\s+)?(?:treatment|supplementation|supplements?|therapy)\b",
        True,
        "Says a condition gets better with a supplement: a treatment claim.",
    ),
    (
        DISEASE,
        r"\b(?:recommended|prescribed|suggested|ideal|essential|beneficial|benefits?)\s+(?:[\w-]+\s+){0,3}?(?:to|for|with)\s+"
        r"(?:[\w-]+\s+){0,2}?(?:people|patients|those|anyone|individuals|sufferers|adults|women|men)\b"
        r"(?!\s+(?:with|who\s+have|who\s+are)\s+(?:an?\s+)?(?:[\w-]+\s+)?deficien)",
        True,
        "Recommends a supplement to people with a condition: an implied treatment claim.",
    ),
    (
        DISEASE,
        r"\bbreaks?\s+(?:this|the|that)\s+(?:vicious\s+)?cycle\b",
        True,
        "Promises to break a cycle of symptoms: an implied treatment claim.",
    ),
    (
        DISEASE,
        r"\b(?:can|could|may|will)\s+be\s+(?:\w+\s+)?(?:alleviated|relieved|treated|cured|prevented|reversed|eliminated|eased|healed)"
        r"\s+(?:by|with)\b",
        True,
        "Says a condition can be relieved or treated by a product: a disease claim.",
    ),
    (
        DISEASE,
        r"\breduc(?:e|es|ed|ing)\s+(?:the\s+)?(?:risk|incidence|severity|frequency)\s+of\s+" + GAP4 + CONDITION,
        True,
        "Claims a supplement lowers the risk of a disease: a disease-prevention claim supplements may not make.",
    ),
    (
        DISEASE,
        r"\b(?:remedy|remedies|treatments?|cures?|therapy|antidote)\s+(?:for|of)\s+" + GAP4 + CONDITION,
        True,
        DISEASE_WHY,
    ),
    (
        DISEASE,
        r"\b(?:valid|effective|proven|real|powerful|safe|best)\s+(?:treatment|remedy|cure|therapy|medicine)\b",
        True,
        "Presents a supplement as a treatment, which is a drug claim.",
    ),
    (
        DISEASE,
        r"\bhelp(?:s|ed|ing)?\s+(?:with\s+|to\s+)?" + GAP4 + CONDITION,
        True,
        "Says a supplement helps with a disease or its symptoms: an implied treatment claim.",
    ),
    (
        DISEASE,
        r"\b(?:good|ideal|great|beneficial|effective|useful|recommended)\s+(?:option\s+)?for\s+" + GAP4 + CONDITION,
        True,
        "Recommends a supplement for a disease or its symptoms: an implied treatment claim.",
    ),
    (
        DISEASE,
        r"\b(?:manage|manages|managing)\s+" + GAP2 + CONDITION,
        True,
        "Says a supplement manages a disease: an implied treatment claim.",
    ),
    (
        DISEASE,
        r"\bif\s+you\s+(?:suffer|are\s+suffering|struggle|live)\s+(?:from|with)\b(?!\s+(?:an?\s+)?(?:[\w-]+\s+)?deficiency)",
        True,
        "Addresses readers who have a condition, implying the product treats it.",
    ),
    (
        DISEASE,
        r"\balternatives?\s+to\s+(?:[\w-]+\s+){0,2}?(?:medications?|medicines?|drugs?|painkillers?|antidepressants?|opioids?|prescriptions?)\b",
        True,
        "Offers a supplement as a substitute for a medicine, which FDA treats as a disease claim.",
    ),
    # --- Absolutes ---
    (
        ABSOLUTE,
        r"\b(?:without|no|zero|free\s+(?:of|from))\s+(?:the\s+|any\s+)?(?:[\w-]+\s+)?side[\s-]effects?\b",
        True,
        "Promises no side effects; anything with an effect can have side effects.",
    ),
    (
        ABSOLUTE,
        r"\b(?:minimal|few|little|no)\s+(?:or\s+no\s+)?side[\s-]effects?(?:,?\s+if\s+any)?",
        True,
        "Plays down side effects without evidence of how often they occur.",
    ),
    (
        ABSOLUTE,
        r"\b(?:completely|totally|perfectly|entirely|absolutely|100\s?%)\s+(?:safe|harmless|effective|non-toxic|risk[\s-]free)\b",
        True,
        "An unqualified promise of safety or effect; real evidence is never that certain.",
    ),
    (ABSOLUTE, "always", False, "An absolute: biology rarely works 'always'."),
    (ABSOLUTE, r"\bnever\s+(?:fails?|causes?|harms?)\b", True, "An absolute: no treatment never fails or never harms."),
    (ABSOLUTE, "guaranteed", False, "Health results cannot be guaranteed."),
    (ABSOLUTE, "risk-free", False, "No effective product is free of risk."),
    (ABSOLUTE, "works for everyone", False, "No treatment works for everyone."),
    (ABSOLUTE, "safe for everyone", False, "No product is safe for everyone; interactions and conditions matter."),
    (ABSOLUTE, "once and for all", False, "Promises a permanent fix."),
    (
        ABSOLUTE,
        r"\b(?:instant|immediate|permanent)\s+(?:relief|results?|cure)\b",
        True,
        "Promises a quick or permanent fix, a warning sign FDA names in health fraud.",
    ),
    (
        ABSOLUTE,
        r"\beasily\s+(?:managed|avoided|fixed|corrected|reversed|resolved|remedied|solved)\b",
        True,
        "Plays down a problem as easily fixed, without evidence.",
    ),
    (
        ABSOLUTE,
        r"\b(?:every|each)\s+(?:single\s+)?(?:cell|organ|system|tissue)\s+(?:in|of)\s+(?:the|your)\s+body\b",
        True,
        "A sweeping absolute about the body that no evidence supports as stated.",
    ),
    # --- Hype (FDA health-fraud warning words) ---
    (HYPE, r"\bmiracle\w*", True, "'Miracle' is a warning sign FDA names in health fraud; it carries no information."),
    (HYPE, "miraculous", False, "A superlative that carries no information."),
    (HYPE, r"\bgame[\s-]?changer\b", True, "A buzzword that carries no information."),
    (HYPE, r"\bpowerhouses?\b", True, "A buzzword that carries no information."),
    (HYPE, "too good to be true", False, "If it sounds too good to be true, it usually is."),
    (
        HYPE,
        r"\b(?:scientific\s+)?breakthrough\b",
        True,
        "'Scientific breakthrough' is a warning sign FDA names in health fraud.",
    ),
    (HYPE, "revolutionary", False, "A superlative that carries no information."),
    (
        HYPE,
        r"\b(?:amazing|incredible|astonishing|unbelievable|extraordinary|remarkable|fantastic)\b",
        True,
        "A superlative that carries no information.",
    ),
    (HYPE, r"\bmagic(?:al)?\b", True, "No supplement works like magic."),
    (
        HYPE,
        r"\bsecret\s+(?:ingredient|formula|weapon|remedy|cure)\b|\bbest[\s-]kept\s+secret\b",
        True,
        "'Secret ingredient' is a warning sign FDA names in health fraud.",
    ),
    (
        HYPE,
        r"\bwonder\s+(?:drug|mineral|supplement|nutrient|cure|pill)\b",
        True,
        "A superlative that carries no information.",
    ),
    (
        HYPE,
        r"\bsuper[\s-]?(?:food|nutrient|supplement|mineral)s?\b",
        True,
        "A marketing term with no scientific meaning.",
    ),
    (HYPE, r"\bcomes?\s+to\s+the\s+rescue\b", True, "Casts a supplement as a rescuer: emotion, not evidence."),
    (HYPE, r"\blife[\s-]changing\b", True, "A superlative that carries no information."),
    (
        HYPE,
        r"\bcure[\s-]all\b|\bpanacea\b",
        True,
        "One product for many ailments is a warning sign FDA names in health fraud.",
    ),
    (HYPE, r"\bpowerful\b", True, "A superlative that carries no information about the size of an effect."),
    (HYPE, r"\bdetox\w*", True, "'Detox' has no defined meaning; the body's own organs clear waste."),
    (HYPE, r"\b(?:is|are)\s+(?:the\s+)?best\s+(?:for|at)\b", True, "A superlative with no comparison behind it."),
    (HYPE, r"\bultimate\s+(?:solution|answer|supplement|remedy)\b", True, "A superlative that carries no information."),
    (
        HYPE,
        r"\bone\s+of\s+(?:the|its|their|our|nature['’]s)\s+(?:most|best|greatest|top|finest)\b(?:\s+[\w-]+)?",
        True,
        "A superlative ('one of the most important') with no comparison behind it.",
    ),
    (
        HYPE,
        r"\bthe\s+best\s+(?:form|type|kind|option|choice|way|source|supplement|product)s?\b",
        True,
        "A superlative with no comparison behind it.",
    ),
    (
        HYPE,
        r"\b(?:go|goes|going|went)\s+(?:far|much|even|way)\s+(?:deeper|further|beyond)\b",
        True,
        "Promises more than the evidence shows.",
    ),
    (
        HYPE,
        r"\b(?:vast|immense|enormous|paramount|utmost|tremendous)\s+(?:importance|benefits?|potential|impact)\b",
        True,
        "A superlative that carries no information.",
    ),
    (
        HYPE,
        r"\bprotective\s+shield\b|\bshields?\s+(?:you|your\s+body|the\s+body)\s+(?:from|against)\b",
        True,
        "Casts a supplement as armour: an image, not evidence.",
    ),
    (
        HYPE,
        r"\bthe\s+answer\s+is\s+(?:a\s+)?(?:simple|resounding|clear|definite|emphatic)\b",
        True,
        "Rhetoric that presents an open question as settled.",
    ),
    # --- Appeal to nature ---
    (
        NATURE,
        r"\b(?:all[\s-])?natural(?:ly)?\s+(?:[\w-]+\s+)?(?:relaxants?|alternatives?|ally|allies|anti[\s-]?inflammator(?:y|ies)|"
        r"remed(?:y|ies)|cures?|treatments?|painkillers?|pain[\s-]?reliev(?:er|ers)|solutions?|medicines?|"
        r"antidepressants?|sedatives?|tranquili[sz]ers?|blockers?|healers?|way\s+to|approach|supplements?|options?|choices?)\b",
        True,
        "Implies that 'natural' means safe or effective; it means neither.",
    ),
    (
        NATURE,
        r"\ball[\s-]natural\b|\b100\s?%\s+natural\b",
        True,
        "'All natural' is a warning sign FDA names in health fraud: natural is not the same as safe.",
    ),
    (
        NATURE,
        r"\bnature['’]s\s+(?:own|way|remedy|cure|answer|medicine|secret)\b",
        True,
        "Implies that 'natural' means safe or effective; it means neither.",
    ),
    (
        NATURE,
        r"\bchemical[\s-]free\b",
        True,
        "Everything is made of chemicals; the phrase implies a safety it does not show.",
    ),
    (NATURE, r"\b(?:safe\s+and\s+natural|natural\s+and\s+safe)\b", True, "Implies that natural means safe."),
    (
        NATURE,
        r"\b(?:ancient|traditional|time[\s-]tested)\s+(?:remed(?:y|ies)|wisdom|cure|medicine|secret)\b",
        True,
        "Long use is not evidence that something works or is safe.",
    ),
    # --- Vague authority (FTC: claims about the level of support need that support) ---
    (
        AUTHORITY,
        r"\b(?:(?:some|many|numerous|countless|several|multiple|various|recent|new|other|additional|further|clinical|scientific|emerging)\s+)?"
        r"(?:studies|research|trials|evidence|science|findings|data)\s+(?:(?:referenced|cited|mentioned|above|below|here)\s+){0,2}"
        r"(?:(?:has|have|had|is|are|also|even|now|been)\s+){0,3}"
        r"(?:shows?|showed|shown|showing|suggests?|suggested|proves?|proved|proven|demonstrates?|demonstrated|finds|found|"
        r"confirms?|confirmed|indicates?|indicated|reveals?|revealed|emerging|supports?|says|tells)\b",
        True,
        "'Studies show' with no study named: the reader cannot check.",
    ),
    (
        AUTHORITY,
        r"\b(?:research|studies)\s+(?:on|into|about|in)\s+(?:[\w-]+\s+){1,3}?(?:shows?|suggests?|has\s+shown|have\s+shown|found|finds|indicates?|proves?)\b",
        True,
        "Research invoked without naming a study: the reader cannot check.",
    ),
    (
        AUTHORITY,
        r"\b(?:one|a|another|this|that)\s+(?:recent\s+|new\s+|small\s+|large\s+|clinical\s+)?(?:study|trial|report|review|paper|survey)\s+(?:also\s+)?"
        r"(?:suggests?|suggested|shows?|showed|found|finds|reported|reports|says|said|concluded|demonstrated|revealed|indicates?|indicated)\b",
        True,
        "A study invoked but not named: the reader cannot check it.",
    ),
    (
        AUTHORITY,
        r"\b(?:researchers|scientists|experts|doctors|physicians|professionals|clinicians|specialists)\s+(?:(?:are|have|had|now|also|already|still|even|all|generally)\s+){0,2}"
        r"(?:found|find|shown|discovered|know|knew|agree|say|said|believe|recommend|suggest|confirmed|proven|looking\s+at)\b",
        True,
        "Unnamed experts invoked as authority: the reader cannot check who or what.",
    ),
    (
        AUTHORITY,
        r"\b(?:has|have)\s+been\s+(?:shown|proven|found|demonstrated)\b",
        True,
        "A finding asserted without saying who found it.",
    ),
    (
        AUTHORITY,
        r"\baccording\s+to\s+(?:one|a|some|another|many|several|recent|other)\s+(?:recent\s+|new\s+)?"
        r"(?:report|reports|study|studies|source|sources|experts?|researchers|scientists|estimates?|survey|doctors)\b",
        True,
        "A source invoked but not named: the reader cannot check it.",
    ),
    (
        AUTHORITY,
        r"\b(?:some|many|others|most)\s+(?:estimate|believe|claim|argue|say)\b",
        True,
        "Unnamed people invoked as authority.",
    ),
    (
        AUTHORITY,
        r"\bthey\s+(?:have\s+|had\s+)?(?:found|discovered|shown|proven)\s+that\b",
        True,
        "A finding attributed to an unnamed 'they'.",
    ),
    (
        AUTHORITY,
        r"\bwell[\s-](?:documented|established|known)\b",
        True,
        "Asserts consensus without showing the evidence.",
    ),
    (
        AUTHORITY,
        r"\b(?:clinically|scientifically|medically)\s+(?:proven|tested|validated)\b",
        True,
        "'Clinically proven' needs the trials to be named; FTC requires the evidence to exist.",
    ),
    (
        AUTHORITY,
        r"\b(?:science|research)[\s-]backed\b|\bbacked\s+by\s+(?:science|research)\b",
        True,
        "Claims scientific support without naming it.",
    ),
    (AUTHORITY, r"\bdoctors?[\s-]recommended\b|\bexperts\s+agree\b", True, "Unnamed experts invoked as authority."),
    (
        AUTHORITY,
        r"\b(?:extensive|a\s+growing\s+body\s+of|a\s+wealth\s+of|decades\s+of|years\s+of|a\s+large\s+body\s+of)\s+(?:research|evidence|studies)\b",
        True,
        "Appeals to a quantity of research without naming any of it.",
    ),
    # --- Product promotion ---
    (
        PROMOTION,
        r"\bour\s+(?:[\w-]+\s+){0,2}?(?:products?|supplements?|formulas?|formulations?|range|shop|store|oils?|sprays?|creams?|"
        r"lotions?|flakes|capsules|tablets|powders?|brand|blend|magnesium)\b",
        True,
        "Steers the reader to a product the publisher sells.",
    ),
    (
        PROMOTION,
        r"\b(?:we|we['’]ve|we\s+have)\s+(?:created|developed|formulated|designed|launched|produced)\b",
        True,
        "The publisher presents its own product.",
    ),
    (
        PROMOTION,
        r"\b(?:is|are)\s+(?:a|an|the)\s+(?:leading\s+|trusted\s+|proud\s+)?(?:supplier|manufacturer|maker|distributor|producer|retailer|seller)s?\s+of\b",
        True,
        "The publisher sells the product the article recommends.",
    ),
    (
        PROMOTION,
        r"\b(?:buy|shop|order)\s+(?:now|today|online)\b|\badd\s+to\s+(?:cart|basket)\b",
        True,
        "A call to buy.",
    ),
    (
        PROMOTION,
        r"\bmoney[\s-]back\s+guarantee\b|\bfree\s+(?:shipping|delivery)\b|\bdiscount\s+code\b|\buse\s+code\b",
        True,
        "Sales terms, not health information.",
    ),
    (PROMOTION, r"\bproduct\s+page\b", True, "Steers the reader to a product page."),
    (
        PROMOTION,
        r"\bcheck\s+out\s+(?:our|my)\b|\b(?:information|info|shop|store|sales)\s+page\b",
        True,
        "Steers the reader to the publisher's own pages.",
    ),
    (
        PROMOTION,
        r"\b(?:popular|preferred|smart)\s+choice\b|\bbest[\s-]?sell(?:ing|er)\b|\btop[\s-]rated\b",
        True,
        "Sales copy: popularity is not evidence.",
    ),
    (PROMOTION, r"\bprecise\s+dos(?:e|es|age|ing)\b", True, "Product copy, not health information."),
    (
        PROMOTION,
        r"\bgreat[\s-]tasting\b|\beasy[\s-]to[\s-](?:mix|use|take|swallow)\b",
        True,
        "Product copy, not health information.",
    ),
    (
        PROMOTION,
        r"\b(?:optimal|maximum|superior|enhanced|faster|rapid)\s+absorption\b|\b(?:readily|easily|quickly|rapidly|fully|efficiently)\s+absorbed\b"
        r"|\bbypass\w*\s+(?:[\w-]+\s+){0,2}?(?:breakdown|digestion|digestive\s+(?:system|tract)|gut|stomach)\b",
        True,
        "An absorption claim made for a product, usually without evidence.",
    ),
    (
        PROMOTION,
        r"\b(?:more|better|faster|greater|superior)\b(?:\s+[\w-]+){0,4}\s+than\s+(?:[\w-]+\s+){0,2}?(?:tablets|pills|capsules|powders|supplements|other\s+(?:forms|brands|products|supplements))\b",
        True,
        "Claims superiority over competing products.",
    ),
    # --- Fear and urgency ---
    (
        FEAR,
        r"\b(?:serious|devastating|debilitating|dire|grave|deadly)\s+(?:[\w-]+\s+){0,2}?(?:consequences|concerns|problems|risks|damage|complications|conditions|illness(?:es)?|diseases?|threats?)\b",
        True,
        "Plays on fear of serious harm.",
    ),
    (FEAR, r"\bepidemic\b|\bsilent\s+killer\b|\btime\s+bomb\b", True, "Alarm words that play on fear."),
    (
        FEAR,
        r"\bburn\s+(?:us|you|yourself|people)\s+out\b|\bwreak\w*\s+havoc\b|\btakes?\s+(?:a|its)\s+toll\b",
        True,
        "Alarm words that play on fear.",
    ),
    (
        FEAR,
        r"\bwidespread\s+(?:issue|problem|deficiency|epidemic|crisis)\b",
        True,
        "Suggests the reader is probably affected, to prompt action.",
    ),
    (
        FEAR,
        r"\b(?:act\s+now|don['’]t\s+wait|do\s+not\s+wait|before\s+it['’]s\s+too\s+late|limited\s+time|hurry|while\s+stocks\s+last)\b",
        True,
        "Urgency to prompt a purchase.",
    ),
    (
        FEAR,
        r"\b(?:millions\s+of\s+(?:people|us)|most\s+(?:people|of\s+us))\s+(?:are|may\s+be)\s+(?:deficient|at\s+risk)\b",
        True,
        "Suggests the reader is probably affected, to prompt action.",
    ),
    # --- Causal overreach ---
    (CAUSAL, r"\broot\s+causes?\b", True, "Claims to address root causes, which the evidence rarely shows."),
    (
        CAUSAL,
        r"\b(?:treats?|address(?:es)?|tackles?|fix(?:es)?)\s+(?:both\s+)?(?:the\s+)?(?:symptoms?\s+and\s+(?:the\s+)?causes?|causes?\s+and\s+(?:the\s+)?symptoms?)\b",
        True,
        "Claims to treat both symptoms and causes: a cure claim the evidence does not show.",
    ),
    (
        CAUSAL,
        r"\bdirectly\s+(?:causes?|caused|leads?\s+to|results?\s+in|triggers?)\b",
        True,
        "Asserts a direct cause the evidence does not show.",
    ),
    (
        CAUSAL,
        r"\b(?:the\s+)?reverse\s+(?:must|should|will)\s+(?:also\s+)?(?:apply|be\s+true|hold)\b",
        True,
        "Assumes that a link in one direction proves the opposite direction.",
    ),
    (
        CAUSAL,
        r"\b(?:has|have|is|are)\s+therefore\s+(?:been\s+)?(?:demonstrated|proven|shown|established)\b",
        True,
        "Presents an inference as a demonstrated result.",
    ),
    (
        CAUSAL,
        r"\bclearly,?\s+(?:this|that|it)\s+(?:tells|shows|proves|means)\b",
        True,
        "Presents an inference as obvious.",
    ),
    (
        CAUSAL,
        r"\b(?:underlying|real|true)\s+cause\s+of\b|\bgets?\s+to\s+the\s+root\b",
        True,
        "Claims to address causes, which the evidence rarely shows.",
    ),
    (
        CAUSAL,
        r"\bbeyond\s+(?:mere\s+|just\s+|simple\s+)?(?:symptom|symptomatic)\s+(?:management|relief|treatment|control)\b|\bnot\s+just\s+(?:the\s+)?symptoms\b",
        True,
        "Claims to do more than relieve symptoms, i.e. to act on causes, which the evidence rarely shows.",
    ),
]


def seed(apps, schema_editor):
    MarketingPattern = apps.get_model("claims", "MarketingPattern")
    for category, pattern, is_regex, explanation in LEXICON:
        MarketingPattern.objects.get_or_create(
            pattern=pattern,
            category=category,
            defaults={"is_regex": is_regex, "explanation": explanation, "enabled": True},
        )


def unseed(apps, schema_editor):
    MarketingPattern = apps.get_model("claims", "MarketingPattern")
    for category, pattern, _is_regex, explanation in LEXICON:
        MarketingPattern.objects.filter(pattern=pattern, category=category, explanation=explanation).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_widen_marketing_pattern")]

    operations = [migrations.RunPython(seed, unseed)]
