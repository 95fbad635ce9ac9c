"""
Keep the claims' filter facets (claims/facets.py) true on every save and delete.

Each handler recomputes the facets of the claims the change can affect, in the
same transaction as the change. Fixture loading (raw saves) is left to
load_corpus, which refreshes everything it loaded; bulk paths that skip
signals (bulk_create, QuerySet.update) call Claim.objects.refresh_facets()
themselves.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import FACET_COLUMNS, Citation, Claim, Consensus, MarketingFlag, Study

# Claim fields the facets depend on; a save that writes none of them changes nothing.
_CLAIM_INPUTS = {"status", "start", "end", "article", "article_id", *FACET_COLUMNS}


def _refresh(q):
    Claim.objects.filter(q).refresh_facets()


@receiver(post_save, sender=Claim, dispatch_uid="facets_claim_saved")
def claim_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # A full save also writes the instance's facet columns, which may be stale.
    if not raw and (update_fields is None or _CLAIM_INPUTS & set(update_fields)):
        _refresh(Q(pk=instance.pk))


@receiver(post_save, sender=Citation, dispatch_uid="facets_citation_saved")
@receiver(post_delete, sender=Citation, dispatch_uid="facets_citation_deleted")
@receiver(post_save, sender=Consensus, dispatch_uid="facets_consensus_saved")
@receiver(post_delete, sender=Consensus, dispatch_uid="facets_consensus_deleted")
def claim_input_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh(Q(pk=instance.claim_id))


@receiver(m2m_changed, sender=Claim.studies.through, dispatch_uid="facets_citations_changed")
def citations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # claim.studies.add()/remove()/clear() write Citation rows without saving them one by one.
    if not action.startswith("post_"):
        return
    if not reverse:
        _refresh(Q(pk=instance.pk))
    elif pk_set:
        _refresh(Q(pk__in=pk_set))
    else:  # study.claims.clear(): which claims it had is gone; the study's own are none now.
        Claim.objects.all().refresh_facets()


@receiver(post_save, sender=Study, dispatch_uid="facets_study_saved")
def study_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _refresh(Q(pk__in=Citation.objects.filter(study_id=instance.pk).values("claim_id")))


def _touched_by(flag):
    return Q(pk=flag.claim_id) | Q(article_id=flag.article_id, start__lt=flag.end, end__gt=flag.start)


@receiver(pre_save, sender=MarketingFlag, dispatch_uid="facets_flag_saving")
def flag_saving(sender, instance, raw=False, **kwargs):
    # Remember which claims the flag touched before the save, in case it moves.
    instance._facets_touched_before = None
    if not raw and instance.pk is not None:
        before = MarketingFlag.objects.filter(pk=instance.pk).only("claim_id", "article_id", "start", "end").first()
        if before is not None and (before.claim_id, before.article_id, before.start, before.end) != (
            instance.claim_id,
            instance.article_id,
            instance.start,
            instance.end,
        ):
            instance._facets_touched_before = _touched_by(before)


@receiver(post_save, sender=MarketingFlag, dispatch_uid="facets_flag_saved")
@receiver(post_delete, sender=MarketingFlag, dispatch_uid="facets_flag_deleted")
def flag_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    touched = _touched_by(instance)
    before = getattr(instance, "_facets_touched_before", None)
    _refresh(touched | before if before is not None else touched)
