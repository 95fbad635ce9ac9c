"""Forms that the admin and the review pages share: what a study's identifiers accept."""

from django import forms

from .models import Study


class StudyIdentifiersForm(forms.ModelForm):
    """
    A study form whose DOI and PMID fields take a pasted doi.org or PubMed link
    as well as the bare identifier: the link is longer than the identifier it
    holds, and Study.clean_fields() reduces it (and explains a malformed one).
    """

    doi = forms.CharField(
        label="DOI",
        max_length=1000,
        required=False,
        help_text="e.g. 10.1000/xyz or https://doi.org/10.1000/xyz",
    )
    pmid = forms.CharField(
        label="PMID",
        max_length=1000,
        required=False,
        help_text="e.g. 20375220 or a pubmed.ncbi.nlm.nih.gov link",
    )

    class Meta:
        model = Study
        fields = ["citation", "doi", "pmid", "url", "design"]
