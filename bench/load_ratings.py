"""
The writer side of `make load`: a synthetic reviewer logs in over HTTP and
submits ratings through the review form (/review/claims/<id>/) for `--seconds`, while wrk
reads /claims/. Then the ratings in the database are counted: every submission
the server accepted (a redirect after POST) must be there, and nothing else.

    DATABASE_URL=... python bench/load_ratings.py --base http://127.0.0.1:8190 --seconds 30

Prints one line: LOAD_RATINGS submitted=N accepted=N errors_5xx=N before=N after=N lost=N.
Only ever touches synthetic users (it sets a fresh random password on one).
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402

from bench.common import add_start_arguments, wait_for_the_start  # noqa: E402
from bench.synthetic import SYNTHETIC_USER_PREFIX  # noqa: E402
from claims.models import Claim, ClaimStatus, Rating  # noqa: E402

USERNAME = f"{SYNTHETIC_USER_PREFIX}reviewer-50"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(base, seconds, ready=None, go=None):
    if not base.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit("The load check runs on the loopback interface only.")
    user = User.objects.get(username=USERNAME)  # made by seed_synthetic
    password = secrets.token_urlsafe(24)
    user.set_password(password)
    user.save(update_fields=["password"])
    # Claims this reviewer has not rated yet, in a fixed order.
    todo = list(
        Claim.objects.filter(status=ClaimStatus.UNDER_REVIEW)
        .exclude(ratings__reviewer=user)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def call(path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # base is checked to be http on the loopback interface, above.
        request = urllib.request.Request(base + path, data=body, headers={"Referer": base + path})  # noqa: S310
        try:
            with opener.open(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    status, page = call("/accounts/login/")
    token = CSRF_RE.search(page).group(1)
    login = {"username": USERNAME, "password": password, "csrfmiddlewaretoken": token, "next": "/review/"}
    status, _ = call("/accounts/login/", login)
    if status != 302:
        raise SystemExit(f"login failed: {status}")

    before = Rating.objects.filter(reviewer=user).count()
    submitted = accepted = errors_5xx = 0
    wait_for_the_start(ready, go)
    deadline = time.monotonic() + seconds
    for claim_id in todo:
        if time.monotonic() > deadline:
            break
        status, page = call(f"/review/claims/{claim_id}/")
        if status >= 500:
            errors_5xx += 1
            continue
        token = CSRF_RE.search(page).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "evidence_strength": "low",
            "verdict": "partially",
            "extrapolation_concerns": ["dose"],
            "notes": "Load test rating.",
        }
        submitted += 1
        status, _ = call(f"/review/claims/{claim_id}/", form)
        if status == 302:
            accepted += 1
        elif status >= 500:
            errors_5xx += 1
    after = Rating.objects.filter(reviewer=user).count()
    lost = accepted - (after - before)
    print(
        f"LOAD_RATINGS submitted={submitted} accepted={accepted} errors_5xx={errors_5xx} "
        f"before={before} after={after} lost={lost}"
    )
    return 0 if lost == 0 and errors_5xx == 0 and accepted == submitted else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--seconds", type=float, default=30)
    add_start_arguments(parser)
    args = parser.parse_args()
    raise SystemExit(main(args.base, args.seconds, args.ready, args.go))
