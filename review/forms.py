"""Forms of the review pages. Validation that is domain logic lives on the models."""

from django import forms

from claims.models import (
    EVIDENCE_STRENGTH_MEANING,
    VERDICT_MEANING,
    EvidenceStrength,
    Extrapolation,
    FlagState,
    MarketingCategory,
    Rating,
    Study,
    Verdict,
)


def _described(choices, meanings):
    """Radio choices labelled with their meaning, so the reviewer need not look them up."""
    return [(value, f"{label} — {meanings[value]}") for value, label in choices]


class RatingForm(forms.ModelForm):
    evidence_strength = forms.ChoiceField(
        label="Evidence strength",
        choices=_described(EvidenceStrength.choices, EVIDENCE_STRENGTH_MEANING),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose an evidence strength.",
            "invalid_choice": "“%(value)s” is not an evidence strength; choose one of the listed levels.",
        },
    )
    verdict = forms.ChoiceField(
        choices=_described(Verdict.choices, VERDICT_MEANING),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a verdict.",
            "invalid_choice": "“%(value)s” is not a verdict; choose one of the listed verdicts.",
        },
    )
    extrapolation_concerns = forms.MultipleChoiceField(
        label="Extrapolation concerns",
        choices=Extrapolation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every leap the article makes beyond what the evidence shows.",
        error_messages={"invalid_choice": "“%(value)s” is not an extrapolation concern."},
    )

    class Meta:
        model = Rating
        fields = ["evidence_strength", "verdict", "extrapolation_concerns", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class ConsensusForm(forms.Form):
    evidence_strength = forms.ChoiceField(
        label="Evidence strength",
        choices=EvidenceStrength.choices,
        error_messages={
            "required": "Choose an evidence strength.",
            "invalid_choice": "“%(value)s” is not an evidence strength.",
        },
    )
    verdict = forms.ChoiceField(
        choices=Verdict.choices,
        error_messages={"required": "Choose a verdict.", "invalid_choice": "“%(value)s” is not a verdict."},
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the panel settled on this rating; shown to the public.",
        error_messages={"required": "Write the rationale: the public sees it with the rating."},
    )

    def __init__(self, *args, **kwargs):
        # Its fields share names with the rating form on the same page; distinct ids
        # keep every label tied to its own control (and the HTML valid).
        kwargs.setdefault("auto_id", "id_consensus_%s")
        super().__init__(*args, **kwargs)


class StudyForm(forms.ModelForm):
    """A new study, as the article cites it. Study.clean() normalises and explains DOI/PMID."""

    class Meta:
        model = Study
        fields = ["citation", "doi", "pmid", "url", "design"]
        help_texts = {
            "doi": "e.g. 10.1000/xyz or https://doi.org/10.1000/xyz",
            "pmid": "e.g. 20375220 or a pubmed.ncbi.nlm.nih.gov link",
        }


class LinkStudyForm(forms.Form):
    study = forms.ModelChoiceField(
        queryset=Study.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a study to link.",
            "invalid_choice": "That study does not exist (it may have been deleted); search again.",
        },
    )


class StudySearchForm(forms.Form):
    study_q = forms.CharField(label="Find a study", max_length=200, required=False)


class FlagForm(forms.Form):
    phrase = forms.CharField(
        label="Exact words from the quote",
        max_length=500,
        help_text="Copy the words as they appear in the quote; the first occurrence is flagged.",
        error_messages={"required": "Type or paste the exact words to flag."},
    )
    category = forms.ChoiceField(
        choices=MarketingCategory.choices,
        error_messages={"required": "Choose a category.", "invalid_choice": "“%(value)s” is not a marketing category."},
    )


class FlagStateForm(forms.Form):
    state = forms.ChoiceField(
        choices=[(FlagState.CONFIRMED, "Confirm"), (FlagState.DISMISSED, "Dismiss")],
        error_messages={
            "required": "Choose confirm or dismiss.",
            "invalid_choice": "“%(value)s” is not a flag decision.",
        },
    )
