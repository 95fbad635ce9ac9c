"""
Which extractor should the importer read HTML pages with? The current parser
(importer.extract_html) against trafilatura (analysis/provenance.py), on
  (a) the corpus articles in ../shared/articles/*.txt, each wrapped in a fictional shop page
      (nav menu, cookie banner, breadcrumbs, share buttons, "related products" aside, newsletter
      footer, a tracking script); every second page also states its provenance (JSON-LD
      Article, OpenGraph, <link rel=canonical>, <meta name=author>, a date), the others none;
  (b) the fictional test pages in tests/analysis/pages/ (expected.json says what each holds).

Per page and extractor: the article's sentences kept word for word (recall), the chrome lines
that leaked into the text, whether the title is right, and the provenance fields (canonical
URL, site name, author, publication date) that are right, counting a field the page does not
state as right only when left blank; "made up" counts the fields given a value the page never
stated. The third extractor, trafilatura's extract_metadata with its defaults, shows why
provenance.extract narrows it. Prints Markdown tables (docs/extraction.md).

    .venv/bin/python bench/extraction_compare.py [--articles DIR] [--big N]

It reads the substances table (the importer suggests a claim's substance), so it needs a
migrated database: the one `make db` makes, or another given by DATABASE_URL.
"""

import argparse
import datetime
import html
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "analysis" / "pages"
FIELDS = ("canonical_url", "site_name", "author", "published_on")

# The fictional shop page a corpus article is wrapped in. Each chrome line is listed once in CHROME.
HEAD_METADATA = """<link rel="canonical" href="{url}">
<meta name="author" content="{author}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Brightleaf Botanicals">
<meta property="og:url" content="{url}">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "Article", "headline": {title_json},
  "author": {{"@type": "Person", "name": "{author}"}},
  "publisher": {{"@type": "Organization", "name": "Brightleaf Botanicals"}},
  "datePublished": "{date}T08:00:00+00:00", "mainEntityOfPage": "{url}"}}
</script>"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | Brightleaf Botanicals</title>
{metadata}
<script>var brightleafTracker = "tracking script text, never article text";</script>
<style>.cookie-banner {{ position: fixed; }}</style>
</head>
<body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience on our site.</p>
<a href="#" class="btn">Accept all cookies</a> <a href="#" class="btn">Manage cookie settings</a></div>
<header class="site-header">
<div class="logo"><a href="https://www.example.com/">Brightleaf Botanicals</a></div>
<nav class="main-menu"><ul>
<li><a href="/">Home</a></li><li><a href="/shop">Shop all herbs</a></li>
<li><a href="/journal">The Brightleaf Journal</a></li><li><a href="/about">About Brightleaf</a></li>
<li><a href="/cart">Cart (0)</a></li></ul></nav>
</header>
<main>
<div class="breadcrumbs"><a href="/">Home</a> › <a href="/journal">Journal</a> › Article</div>
<article class="post">
<h1>{title}</h1>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Pin it on Pinterest</a>
<a href="#">Email this article</a></div>
{body}
<div class="share-buttons share-bottom"><span>Did you find this useful? Share it with a friend</span></div>
</article>
<aside class="related-products">
<h3>Related products</h3>
<ul><li><a href="/shop/calm-blend">Brightleaf Calm Blend capsules</a> <span class="price">$24.00</span></li>
<li><a href="/shop/golden-milk">Brightleaf Golden Milk powder</a> <span class="price">$18.00</span></li></ul>
<button>Add to cart</button>
</aside>
</main>
<footer class="site-footer">
<p>Sign up for the Brightleaf newsletter and get ten percent off your first order.</p>
<p>© 2026 Brightleaf Botanicals, a fictional shop made up for this measurement.</p>
<p><a href="/privacy">Privacy policy</a> · <a href="/terms">Terms of service</a>
· <a href="/shipping">Shipping and returns</a></p>
</footer>
</body>
</html>
"""

CHROME = [
    "tracking script text",
    "cookie-banner",
    "We use cookies to improve your experience",
    "Accept all cookies",
    "Manage cookie settings",
    "Shop all herbs",
    "The Brightleaf Journal",
    "About Brightleaf",
    "Cart (0)",
    "Journal › Article",
    "Share on Facebook",
    "Pin it on Pinterest",
    "Email this article",
    "Share it with a friend",
    "Related products",
    "Brightleaf Calm Blend capsules",
    "Brightleaf Golden Milk powder",
    "Add to cart",
    "Brightleaf newsletter",
    "a fictional shop made up for this measurement",
    "Privacy policy",
    "Shipping and returns",
]


def collapse(text):
    return " ".join(text.split())


def corpus_page(index, path):
    """(case dict) for one corpus article: its page, the article's paragraphs and the metadata it states.
    The first line is the title (the page's <h1>), a heading-like line an <h2>, any other line a <p>."""
    # One paragraph a line: some files set paragraphs apart by a blank line, others by a line break.
    paragraphs = [line for line in (collapse(raw) for raw in path.read_text(encoding="utf-8").splitlines()) if line]
    title, body = paragraphs[0], paragraphs[1:]
    from analysis.importer import is_heading

    blocks = [f"<h2>{html.escape(p)}</h2>" if is_heading(p) else f"<p>{html.escape(p)}</p>" for p in body]
    expected = {"title": title, "canonical_url": "", "site_name": "", "author": "", "published_on": None}
    metadata = ""
    if index % 2 == 0:
        url = f"https://www.example.com/journal/fictional-article-{index}"
        date = f"2025-0{index + 1}-1{index}"
        author = "Juniper Fablewood"
        metadata = HEAD_METADATA.format(
            url=url, author=author, date=date, title=html.escape(title), title_json=json.dumps(title)
        )
        expected.update(canonical_url=url, site_name="Brightleaf Botanicals", author=author, published_on=date)
    markup = TEMPLATE.format(title=html.escape(title), metadata=metadata, body="\n".join(blocks))
    name = f"article {path.stem[:3]}" + (" (+metadata)" if metadata else "")
    return {"name": name, "markup": markup, "article": paragraphs, "chrome": CHROME, **expected}


def test_pages():
    expected = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
    return [
        {"name": file, "markup": (PAGES / file).read_text(encoding="utf-8"), **case} for file, case in expected.items()
    ]


# --------------------------------------------------------------------------
# The extractors: each gives (title, text, {field: value})


def by_extract_html(markup):
    from analysis import importer

    title, text = importer.extract_html(markup)
    return title, text, dict.fromkeys(FIELDS, "")


def by_trafilatura(markup):
    from analysis import provenance

    page = provenance.extract(markup)
    return page.title, page.text, {field: getattr(page, field) for field in FIELDS}


def by_trafilatura_defaults(markup):
    """trafilatura's own metadata with its defaults (extensive date search, site name fallbacks)."""
    import trafilatura

    doc = trafilatura.extract_metadata(markup)
    fields = {"canonical_url": doc.url, "site_name": doc.sitename, "author": doc.author, "published_on": doc.date}
    return doc.title or "", "", {k: v or "" for k, v in fields.items()}


EXTRACTORS = {
    "importer.extract_html": by_extract_html,
    "trafilatura (provenance.extract)": by_trafilatura,
    "trafilatura extract_metadata, defaults": by_trafilatura_defaults,
}


def sentences_of(paragraphs):
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    return [collapse(s) for p in paragraphs for s in segmenter.segment(p) if collapse(s)]


def same(value, expected):
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return (value or "") == (expected or "")


def suggested_claims(case, title, text):
    """The claims importer.analyse suggests when the page reads as (title, text): what reviewers see."""
    from analysis import importer
    from analysis.detector import Detector

    real = importer.read_document
    importer.read_document = lambda name, data: (title, text, None)
    try:
        draft = importer.analyse("page.html", case["markup"].encode(), detector=Detector([]))
    finally:
        importer.read_document = real
    return [claim.quote for claim in draft.claims]


def measure(case, extractor):
    from analysis.importer import is_heading

    title, text, fields = extractor(case["markup"])
    flat = collapse(text)
    body = sentences_of([p for p in case["article"] if not is_heading(p)])
    headings = [collapse(p) for p in case["article"] if is_heading(p)]
    m = {
        "text": bool(text),
        "kept": sum(1 for s in body if s in flat),
        "sentences": len(body),
        "headings_kept": sum(1 for h in headings if h in flat),
        "headings": len(headings),
        "leaked": sum(1 for line in case["chrome"] if line in flat),
        "chrome": len(case["chrome"]),
        "claims": 0,
        "chrome_claims": 0,
        "title": collapse(title) == collapse(case["title"]),
        "right": sum(1 for f in FIELDS if same(fields[f], case[f])),
        "made_up": sum(1 for f in FIELDS if fields[f] and not case[f]),
        "stated": sum(1 for f in FIELDS if case[f]),
    }
    if text:
        claims = suggested_claims(case, title, text)
        m["claims"] = len(claims)
        m["chrome_claims"] = sum(1 for quote in claims if any(line in quote for line in case["chrome"]))
    return m


def text_columns(m):
    if not m.get("text"):
        return "– | – | – | –"
    recall = m["kept"] / m["sentences"] if m["sentences"] else 1
    return (
        f"{m['kept']}/{m['sentences']} ({recall:.1%}) | {m['headings_kept']}/{m['headings']} "
        f"| {m['leaked']}/{m['chrome']} | {m['claims']} ({m['chrome_claims']})"
    )


def big_page_timing(n):
    from analysis import importer, provenance

    markup = (
        "<html><head><title>Big</title></head><body>"
        + "".join(f"<p>Brightleaf paragraph {i} is fictional text about turmeric and sleep.</p>" for i in range(n))
        + "</body></html>"
    )
    rows = []
    for name, run in (("importer.extract_html", importer.extract_html), ("provenance.extract", provenance.extract)):
        start = time.perf_counter()
        result = run(markup)
        seconds = time.perf_counter() - start
        text = result[1] if isinstance(result, tuple) else result.text
        rows.append((name, seconds, text.count("\n\n") + 1))
    return len(markup), rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default=str(ROOT.parent / "shared" / "articles"))
    parser.add_argument("--big", type=int, default=20000, help="paragraphs in the timing page (0: skip)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgreview.settings")
    import django

    django.setup()

    cases = [corpus_page(i, path) for i, path in enumerate(sorted(Path(args.articles).glob("*.txt")))]
    cases += test_pages()

    keys = ("kept", "sentences", "headings_kept", "headings", "leaked", "chrome", "claims", "chrome_claims")
    totals = {name: dict.fromkeys((*keys, "title", "right", "made_up"), 0) for name in EXTRACTORS}
    print(
        "| page | extractor | sentences kept | headings kept | chrome leaked | claims suggested (chrome) "
        "| title | provenance right (of 4) | made up |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | :---: | ---: | ---: |")
    for case in cases:
        for name, extractor in EXTRACTORS.items():
            m = measure(case, extractor)
            print(
                f"| {case['name']} | {name} | {text_columns(m)} | {'yes' if m['title'] else 'no'} "
                f"| {m['right']} ({m['stated']} stated) | {m['made_up']} |"
            )
            total = totals[name]
            for key in ("title", "right", "made_up") + (keys if m["text"] else ()):
                total[key] += m[key]
            total["text"] = total.get("text", False) or m["text"]
    fields = len(cases) * len(FIELDS)
    print()
    print(f"Totals over {len(cases)} pages:")
    print()
    print(
        "| extractor | sentences kept | headings kept | chrome leaked | claims suggested (chrome) "
        "| titles right | provenance right | made up |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, t in totals.items():
        print(f"| {name} | {text_columns(t)} | {t['title']}/{len(cases)} | {t['right']}/{fields} | {t['made_up']} |")
    if args.big:
        print()
        print("Sibling paragraphs (time grows linearly when it doubles with the page):")
        print()
        print("| paragraphs | MB | importer.extract_html s | provenance.extract s | paragraphs out |")
        print("| ---: | ---: | ---: | ---: | ---: |")
        for n in (args.big // 4, args.big // 2, args.big):
            size, rows = big_page_timing(n)
            (_, html_s, _), (_, prov_s, out) = rows
            print(f"| {n:,} | {size / 1e6:.1f} | {html_s:.2f} | {prov_s:.2f} | {out:,} |")


if __name__ == "__main__":
    main()
