"""
Ids-first pagination: deep pages at the cost of shallow ones.

A plain OFFSET page of a joined query makes the database build every skipped
row with its joins (page 2,000 of /claims/ took ~90 ms that way on 100k
claims). Here the page's ids come first, from the filtered and ordered
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
        true and the pages end there): a search matching most claims counts to
        count_cap + 1 and stops, where an exact count would visit every match.
        """
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows
        self.count_cap = count_cap

    @cached_property
    def _found(self):
        if self.count_cap is None:
            return self.object_list.count()
        return self.object_list.order_by()[: self.count_cap + 1].count()

    @cached_property
    def count(self):
        return self._found if self.count_cap is None else min(self._found, self.count_cap)

    @property
    def more(self):
        """Whether more objects match than the capped count says."""
        return self.count_cap is not None and self._found > self.count_cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        loaded = {obj.pk: obj for obj in self.rows.filter(pk__in=ids)} if ids else {}
        # In the ids' order; a row deleted between the two queries is left out.
        return self._get_page([loaded[pk] for pk in ids if pk in loaded], number, self)
