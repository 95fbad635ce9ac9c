"""
Ids-first pagination: deep pages at the cost of shallow ones.

A plain OFFSET page of a joined query makes the database build every skipped
row with its joins, so deep pages of /claims/ grew slow at 100k claims
(docs/benchmarks.md). Here the page's ids come first, from the filtered and ordered
queryset alone (an index-only scan with the indexes on Claim), then the rows
for those ids alone, with their joins and prefetches.
"""

from django.core.paginator import InvalidPage, Paginator
from django.utils.functional import cached_property

# Caps up to this read their ids at once; a larger cap counts with a capped COUNT and
# reads each page's ids alone (100,000 ids would cost more than the count they save).
READ_IDS_UP_TO = 5000


def count_up_to(queryset, limit):
    """The number of rows of queryset, exact up to `limit`: a COUNT over a LIMITed subquery, which
    stops reading at `limit` rows however many match."""
    return queryset.order_by()[:limit].count()


def capped(n, cap):
    """A count for display: {"n": n up to cap, "more": whether n is past it}."""
    return {"n": min(n, cap), "more": n > cap}


class IdsFirstPaginator(Paginator):
    def __init__(self, object_list, per_page, *, rows, count_cap=None, matches=None, **kwargs):
        """
        object_list: the filtered, ordered queryset; rows: a queryset that loads a
        page's objects. count_cap: count at most this many matches (then `more` is
        true and the pages end there). With a cap, one query reads the ids of the
        first count_cap + 1 matches in order, which gives both the count and any
        page's ids: a search matching most claims reads 1,001 index rows once,
        where an exact count would visit every match and the page ask again.
        matches: the number of matches when the caller has counted them already
        (exact up to count_cap + 1); the paginator then does not count again.
        """
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows
        self.count_cap = count_cap
        if matches is not None:
            self._matches = matches if count_cap is None else min(matches, count_cap + 1)

    @property
    def _ids_at_once(self):
        """Whether one query of the first count_cap + 1 ids serves the count and every page."""
        return self.count_cap is not None and self.count_cap <= READ_IDS_UP_TO

    @cached_property
    def _capped_ids(self):
        # A queryset that knows a cheaper way to its first ids (ClaimQuerySet.first_ids) reads them so.
        first_ids = getattr(self.object_list, "first_ids", None)
        if first_ids is not None:
            return first_ids(self.count_cap + 1)
        return list(self.object_list.values_list("pk", flat=True)[: self.count_cap + 1])

    @cached_property
    def _matches(self):
        """The number of matches, exact up to count_cap + 1."""
        if self.count_cap is None:
            return self.object_list.count()
        if self._ids_at_once:
            return len(self._capped_ids)
        return count_up_to(self.object_list, self.count_cap + 1)

    @cached_property
    def count(self):
        return self._matches if self.count_cap is None else min(self._matches, self.count_cap)

    @property
    def more(self):
        """Whether more objects match than the capped count says."""
        return self.count_cap is not None and self._matches > self.count_cap

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self._ids_at_once:
            ids = self._capped_ids[bottom:top]
        else:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        loaded = {obj.pk: obj for obj in self.rows.filter(pk__in=ids)} if ids else {}
        # In the ids' order; a row deleted between the two queries is left out.
        return self._get_page([loaded[pk] for pk in ids if pk in loaded], number, self)


class FriendlyPages:
    """
    For a list view: a page number that is not a page of the list (0, -1, abc,
    past the last) answers 400 with the list page saying how many pages there
    are (`page_error`), not Django's bare 404; so does a filter form with errors.
    """

    page_error = ""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=self.get_allow_empty()
        )
        asked = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        try:
            page = paginator.page(paginator.num_pages if asked == "last" else asked)
        except InvalidPage:
            self.page_error = page_error(asked, paginator.num_pages)
            return paginator, None, [], False
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_error"] = self.page_error
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        filterset = getattr(self, "filterset", None)
        if self.page_error or (filterset is not None and filterset.is_bound and not filterset.is_valid()):
            response.status_code = 400
        return response


def page_error(asked, num_pages):
    """What to say when `asked` (from the URL: any text) is not one of num_pages pages. Echoes only digits."""
    pages = f"{num_pages} page{'s' if num_pages != 1 else ''}"
    asked = str(asked).strip()
    if asked.isascii() and asked.isdigit() and int(asked) > 0:
        return f"There is no page {int(asked)}: the list has {pages}."
    return f"Pages are numbered from 1: the list has {pages}."
