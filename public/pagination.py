"""
Ids-first pagination: deep pages at the cost of shallow ones.

A plain OFFSET page of a joined query makes the database build every skipped
row with its joins, so deep pages of /claims/ grew slow at 100k claims
(docs/benchmarks.md). Here the page's ids come first, from the filtered and ordered
queryset alone (an index-only scan with the indexes on Claim), then the rows
for those ids alone, with their joins and prefetches.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class IdsFirstPaginator(Paginator):
    def __init__(self, object_list, per_page, *, rows, count_cap=None, **kwargs):
        """
        object_list: the filtered, ordered queryset; rows: a queryset that loads a
        page's objects. count_cap: count at most this many matches (then `more` is
        true and the pages end there). With a cap, one query reads the ids of the
        first count_cap + 1 matches in order, which gives both the count and any
        page's ids: a search matching most claims reads 1,001 index rows once,
        where an exact count would visit every match and the page ask again.
        """
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows
        self.count_cap = count_cap

    @cached_property
    def _capped_ids(self):
        return list(self.object_list.values_list("pk", flat=True)[: self.count_cap + 1])

    @cached_property
    def count(self):
        if self.count_cap is None:
            return self.object_list.count()
        return min(len(self._capped_ids), self.count_cap)

    @property
    def more(self):
        """Whether more objects match than the capped count says."""
        return self.count_cap is not None and len(self._capped_ids) > self.count_cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.count_cap is None:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        else:
            ids = self._capped_ids[bottom:top]
        loaded = {obj.pk: obj for obj in self.rows.filter(pk__in=ids)} if ids else {}
        # In the ids' order; a row deleted between the two queries is left out.
        return self._get_page([loaded[pk] for pk in ids if pk in loaded], number, self)
