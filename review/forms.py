"""Forms of the review pages. Validation that is domain logic lives on the models."""

import functools

from django import forms
from django.core.exceptions import ValidationError

from claims import policy
from claims.forms import StudyIdentifiersForm
from claims.models import (
    EVIDENCE_STRENGTH_MEANING,
    VERDICT_MEANING,
    Article,
    CitationOrigin,
    EvidenceStrength,
    Extrapolation,
    FlagState,
    MarketingCategory,
    Rating,
    Study,
    Verdict,
)
from mgreview.widgets import FastSelect


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
        help_texts = {
            "notes": "Published with your rating, under your reviewer pseudonym, once the claim is finalized "
            "(in the ratings CSV). Write what a reader can check.",
        }


@functools.cache
def published_rating_fields():
    """The labels of the rating fields published once a claim is finalized (policy.PUBLISHED_RATING_FIELDS)."""
    fields = RatingForm.base_fields
    labels = [str(fields[name].label or name).lower() for name in policy.PUBLISHED_RATING_FIELDS]
    return ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else "".join(labels)


# No value is preselected unless every rating agrees (Claim.consensus_initial): a lead chooses.
CHOOSE = [("", "— choose —")]


class ConsensusForm(forms.Form):
    evidence_strength = forms.ChoiceField(
        label="Evidence strength",
        choices=CHOOSE + EvidenceStrength.choices,
        error_messages={
            "required": "Choose an evidence strength.",
            "invalid_choice": "“%(value)s” is not an evidence strength.",
        },
    )
    verdict = forms.ChoiceField(
        choices=CHOOSE + Verdict.choices,
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


class StudyForm(StudyIdentifiersForm):
    """
    A study a reviewer consulted. Study.clean_fields() normalises and explains
    DOI and PMID; a DOI or PMID already recorded names that study
    (`known_study`), which the view links instead of adding a second record.
    """

    known_study = None

    class Meta(StudyIdentifiersForm.Meta):
        labels = {"citation": "Citation"}
        help_texts = {"citation": "How you would cite it, e.g. “Shin et al. 2020, Nutrients”."}

    def clean(self):
        cleaned = super().clean()
        try:
            self.known_study = Study.objects.with_identifier(cleaned.get("doi", ""), cleaned.get("pmid", ""))
        except ValidationError:
            self.known_study = None  # the field's own error explains it
        return cleaned

    def validate_constraints(self):
        # The one-study-per-identifier constraint is what known_study answers: no error then.
        if self.known_study is None:
            super().validate_constraints()


class UnlinkForm(forms.Form):
    """Confirm removing a study from a claim; Claim.unlink_study says when a reason is needed (kept in history)."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="Kept in the claim's history.",
    )

    def __init__(self, *args, citation, **kwargs):
        super().__init__(*args, **kwargs)
        if citation.origin == CitationOrigin.ARTICLE:
            self.fields["reason"].label = "Why remove a citation the article makes?"


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


class AgreementForm(forms.Form):
    """?article=SLUG on the agreement page: one article's figures."""

    article = forms.ModelChoiceField(
        queryset=Article.objects.only("id", "slug", "title"),
        to_field_name="slug",
        required=False,
        empty_label="All articles",
        error_messages={"invalid_choice": "There is no article with that address; choose one from the list."},
        widget=FastSelect,  # one <option> per article: thousands of them in a large database
    )
