"""
The spike scenario of `make load`: a few hot public pages under 64 connections
while reviewers rate and a lead keeps changing the hot claims' consensus.

    DATABASE_URL=... python bench/load_spike.py hot OUT_DIR
        picks the hot claims (finalized, public, rated enough, in different articles) and
        writes OUT_DIR/hot_paths.txt (what wrk reads) and OUT_DIR/hot_claims.txt
    DATABASE_URL=... python bench/load_spike.py lead OUT_DIR --base http://127.0.0.1:PORT --seconds 30
        logs in as a synthetic lead and, until the time is up, cycles through the hot
        claims: reopen one, then record a new consensus with a rationale never used
        before, then pause (--pause, 2 s). After each change it reads every hot page as an anonymous reader, with
        the ETag it last saw there, and counts as stale any answer that still shows the
        claim's old state: a 304 (the page's version did not move), a claim page without
        the new rationale (or still showing it after the reopen), an article page whose
        highlight still has the old strength.

Prints one line: LOAD_LEAD changes=N checks=N stale=N errors_5xx=N and exits 1 on any stale
answer or 5xx. Only ever touches synthetic users and claims.
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
from django.db.models import Count  # noqa: E402

from bench.common import add_start_arguments, wait_for_the_start  # noqa: E402
from bench.synthetic import SYNTHETIC_USER_PREFIX  # noqa: E402
from claims import policy  # noqa: E402
from claims.choices import UNDER_REVIEW_KEY  # noqa: E402
from claims.models import Claim  # noqa: E402

LEAD = f"{SYNTHETIC_USER_PREFIX}lead-1"
HOT_CLAIMS = 4
# Pages every reader of a viral review lands on, besides the hot claims and their articles.
# Not /stats/: at 100,000 claims it takes seconds to build (docs/benchmarks.md), which would
# measure that page rather than the cache.
HOT_PAGES = ["/", "/claims/", "/overclaims/"]
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The strengths the lead alternates between, so that each consensus shows differently.
STRENGTHS = ["moderate", "high"]


def hot(out):
    out = Path(out)
    claims = (
        Claim.objects.public()
        .finalized()
        .annotate(n=Count("ratings"), article_claims=Count("article__claims", distinct=True))
        .filter(n__gte=policy.min_ratings())
        .order_by("id")
        .select_related("article")
    )
    chosen, articles = [], set()
    for claim in claims.iterator(chunk_size=200):
        if claim.article_id in articles or claim.article_claims > 200:
            continue
        chosen.append(claim)
        articles.add(claim.article_id)
        if len(chosen) == HOT_CLAIMS:
            break
    paths = HOT_PAGES + [c.get_absolute_url() for c in chosen] + [c.article.get_absolute_url() for c in chosen]
    (out / "hot_paths.txt").write_text("\n".join(paths) + "\n")
    (out / "hot_claims.txt").write_text("\n".join(str(c.pk) for c in chosen) + "\n")
    print(f"hot: {len(chosen)} claims, {len(paths)} pages")


class Browser:
    """A urllib opener with its own cookies (None: an anonymous reader with none)."""

    def __init__(self, base, cookies=True):
        self.base = base
        handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())] if cookies else []
        self.opener = urllib.request.build_opener(*handlers, NoRedirect)

    def call(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"Referer": self.base + path, **(headers or {})}
        # base is checked to be http on the loopback interface.
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:  # noqa: S310
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode(errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def lead(out, base, seconds, pause, ready=None, go=None):
    if not base.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit("The load check runs on the loopback interface only.")
    out = Path(out)
    paths = out.joinpath("hot_paths.txt").read_text().split()
    claim_ids = [int(pk) for pk in out.joinpath("hot_claims.txt").read_text().split()]
    claims = {c.pk: c for c in Claim.objects.filter(pk__in=claim_ids).select_related("article")}
    user = User.objects.get(username=LEAD)
    password = secrets.token_urlsafe(24)
    user.set_password(password)
    user.save(update_fields=["password"])
    me, reader = Browser(base), Browser(base, cookies=False)
    _, _, page = me.call("/accounts/login/")
    login = {"username": LEAD, "password": password, "next": "/review/"}
    status, _, _ = me.call("/accounts/login/", {**login, "csrfmiddlewaretoken": CSRF_RE.search(page).group(1)})
    if status != 302:
        raise SystemExit(f"lead login failed: {status}")

    etags = {}
    stale = errors_5xx = checks = changes = 0
    problems = []

    def read_all(claim, shows):
        """Read every hot page as an anonymous reader; count the answers that show the old state."""
        nonlocal stale, errors_5xx, checks
        for path in paths:
            headers = {"If-None-Match": etags[path]} if path in etags else {}
            status, response_headers, body = reader.call(path, headers=headers)
            checks += 1
            if status >= 500:
                errors_5xx += 1
                continue
            wrong = None
            if status == 304:
                wrong = "304 after a change"
            elif path == claim.get_absolute_url() and not shows["claim"](body):
                wrong = "claim page shows the old state"
            elif path == claim.article.get_absolute_url() and not shows["article"](body):
                wrong = "article page shows the old highlight"
            if wrong:
                stale += 1
                problems.append(f"{path}: {wrong}")
            if status == 200 and response_headers.get("ETag"):
                etags[path] = response_headers["ETag"]

    for path in paths:  # the state before the first change
        _, headers, _ = reader.call(path)
        if headers.get("ETag"):
            etags[path] = headers["ETag"]

    wait_for_the_start(ready, go)
    deadline = time.monotonic() + seconds
    n = 0
    previous = {}
    while time.monotonic() < deadline:
        claim = claims[claim_ids[n % len(claim_ids)]]
        review = f"/review/claims/{claim.pk}/"
        _, _, page = me.call(review)
        token = CSRF_RE.search(page).group(1)
        status, _, _ = me.call(f"{review}reopen/", {"csrfmiddlewaretoken": token, "confirmed": "1"})
        if status != 302:
            errors_5xx += status >= 500
            problems.append(f"reopen {claim.pk}: {status}")
            break
        changes += 1
        old = previous.get(claim.pk)
        read_all(
            claim,
            {
                "claim": lambda body, old=old: old is None or old not in body,
                "article": lambda body, pk=claim.pk: (
                    f'class="hl hl-claim s-{UNDER_REVIEW_KEY}" id="claim-{pk}"' in body
                ),
            },
        )
        rationale = f"Spike consensus {secrets.token_hex(4)}-{n}"
        strength = STRENGTHS[n % len(STRENGTHS)]
        _, _, page = me.call(review)
        token = CSRF_RE.search(page).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "evidence_strength": strength,
            "verdict": "partially",
            "rationale": rationale,
        }
        status, _, _ = me.call(f"{review}consensus/", form)
        if status != 302:
            errors_5xx += status >= 500
            problems.append(f"consensus {claim.pk}: {status}")
            break
        changes += 1
        previous[claim.pk] = rationale
        read_all(
            claim,
            {
                "claim": lambda body, r=rationale: r in body,
                "article": lambda body, pk=claim.pk, s=strength: f'class="hl hl-claim s-{s}" id="claim-{pk}"' in body,
            },
        )
        n += 1
        time.sleep(pause)
    print(f"LOAD_LEAD changes={changes} checks={checks} stale={stale} errors_5xx={errors_5xx}")
    for problem in problems[:20]:
        print(f"  {problem}")
    return 0 if stale == 0 and errors_5xx == 0 and not problems else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["hot", "lead"])
    parser.add_argument("out")
    parser.add_argument("--base")
    parser.add_argument("--seconds", type=float, default=30)
    # Seconds between one consensus and the next reopen: a busy lead settles a claim every few
    # minutes; every 2 s keeps the cache being emptied all through the run.
    parser.add_argument("--pause", type=float, default=2.0)
    add_start_arguments(parser)
    args = parser.parse_args()
    if args.action == "hot":
        hot(args.out)
    else:
        raise SystemExit(lead(args.out, args.base, args.seconds, args.pause, args.ready, args.go))
