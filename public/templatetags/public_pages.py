import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from claims.models import Rating

register = template.Library()

# As django.utils.html.json_script: no '<', '>' or '&' survives, so claim text
# cannot close the <script> element ('</script>') or open a comment.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(value):
    """JSON for the body of a <script type="application/ld+json"> element."""
    return mark_safe(json.dumps(value, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308


@register.inclusion_tag("public/partials/demonstration_notice.html")
def demonstration_notice():
    """The notice every public page shows while ratings of a demonstration review are published (one query)."""
    return {"shown": Rating.objects.demonstration_published()}
