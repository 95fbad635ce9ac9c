"""
WSGI config for mgreview project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their models and modules: ~65,000
# objects) lives as long as the process. Freezing it moves it out of the
# garbage collector's reach, so a full collection looks only at what requests
# left behind: on /articles/<slug>/ with 2,000 claims a full collection paused
# a request for ~45 ms before, 5-10 ms after (bench/bench_pages.py serves this
# same `application`). The gc.freeze() documentation describes the pre-fork
# use; here it applies in every process that loads this module.
gc.freeze()
