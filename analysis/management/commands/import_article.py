import argparse
import datetime
import json
import stat
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from analysis import matching
from analysis.detector import Detector
from analysis.importer import (
    MAX_BYTES,
    AlreadyImported,
    ImportRefused,
    ResemblesExisting,
    analyse,
    as_version_of,
    check_resemblance,
    save,
    validate_url,
    version_target,
)
from claims import policy
from claims.models import Claim


class Command(BaseCommand):
    help = (
        "Import .txt or .html article files: the article text, suggested claims (status 'suggested') "
        "with guessed topics and the citations they make as written, and suggested marketing flags. "
        "Each file is one transaction; a file already imported (same text) is not duplicated. "
        "An imported article is a draft, seen by reviewers alone, until a lead reviewer publishes it; "
        "--publish --by LEAD publishes it at once, in that lead's name. "
        "A file whose text is mostly an existing article's (docs/import.md) is refused with exit status 2 "
        "unless --force (a separate article) or --new-version-of SLUG (the page changed: publishing the new "
        "version carries over the old one's claims whose quote it still holds, with their reviews). "
        "With --json prints, per file, {title, boilerplate, disclaimers, claims, marketing, provenance, "
        "resemblance, and version_of with --new-version-of}: one object for one file, a list for several. "
        "With --dry-run each claim also lists `matches`: the existing claims "
        "making the same assertion (docs/matching.md), with their status and their consensus where it is "
        "published."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--title", default="", help="Article title (one file only); default: from the file.")
        parser.add_argument("--url", default="", help="Where the article was published (one file only).")
        parser.add_argument("--publisher", default="", help="Site or brand that published it.")
        parser.add_argument(
            "--retrieved-on",
            default=None,
            type=_date,
            metavar="YYYY-MM-DD",
            help="When the page was captured (the article page shows it).",
        )
        parser.add_argument(
            "--promotes-product",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Whether the page promotes a product its publisher sells; without either, the article says "
            "nothing about it.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Analyse and report; write nothing.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import even a file whose text is mostly an existing article's, as a separate article.",
        )
        parser.add_argument(
            "--new-version-of",
            default="",
            metavar="SLUG",
            help="Import the file as a new version of the article SLUG (one file only): only its new sentences are "
            "suggested, and publishing it carries over the old version's claims whose quote it still holds.",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish each imported article at once instead of leaving it a draft (needs --by).",
        )
        parser.add_argument(
            "--by",
            default="",
            metavar="USERNAME",
            help="The lead reviewer in whose name --publish publishes (kept in the article's history).",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the analysis as JSON on stdout, and nothing else."
        )

    def handle(self, *args, **options):
        files, as_json, dry_run = options["files"], options["json"], options["dry_run"]
        if len(files) > 1 and (options["title"] or options["url"]):
            raise CommandError("--title and --url describe one article: give them with a single file.")
        previous = self._previous(options, files)
        try:
            url = validate_url(options["url"])
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        publish_by = self._publisher(options["publish"], options["by"])
        say = self.stderr.write if as_json else self.stdout.write
        detector = Detector.from_lexicon()
        results, failures, resembled = [], [], []
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=len(files) < 2,
        ) as progress:
            task = progress.add_task("Importing", total=len(files))
            for name in files:
                progress.update(task, description=f"Importing {Path(name).name}")
                try:
                    draft = analyse(Path(name).name, _read(name), title=options["title"] or None, detector=detector)
                except ImportRefused as exc:
                    failures.append(name)
                    self.stderr.write(self.style.ERROR(f"Not imported: {exc}"))
                    progress.advance(task)
                    continue
                if previous is not None:
                    as_version_of(draft, previous)
                try:
                    existing = draft.existing()
                    found = [] if existing else check_resemblance(draft, force=options["force"] or bool(previous))
                except ResemblesExisting as exc:
                    resembled.append(name)
                    self.stderr.write(self.style.ERROR(f"Not imported: {exc}"))
                    progress.advance(task)
                    continue
                report = draft.as_dict()
                report["resemblance"] = [
                    {"article": article.slug, "title": article.title, "score": score} for article, score in found[:5]
                ]
                stated = draft.stated()
                # What the options say wins; else what the page states about itself (HTML); else blank.
                report["provenance"] = {
                    "url": url or stated["canonical_url"],
                    "publisher": options["publisher"] or stated["site_name"],
                    "author": stated["author"],
                    "published_on": stated["published_on"],
                    "retrieved_on": options["retrieved_on"].isoformat() if options["retrieved_on"] else None,
                    "promotes_product": options["promotes_product"],
                    "stated_by_page": stated,
                }
                if dry_run:
                    _add_matches(report, draft)
                results.append(report)
                say(self._outcome(draft, name, url, options, dry_run, failures, publish_by))
                progress.advance(task)
        if as_json and (results or len(files) > 1):
            report = results[0] if len(files) == 1 else results
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
        if resembled:
            raise CommandError(
                f"{len(resembled)} of {len(files)} file(s) resemble an article already imported; see the messages "
                "above. Nothing was imported from them.",
                returncode=2,
            )
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(files)} file(s) could not be imported; see the messages above."
            )

    @staticmethod
    def _previous(options, files):
        """The article --new-version-of names, checked before any file is read; None without it."""
        slug = options["new_version_of"]
        if not slug:
            return None
        if len(files) > 1:
            raise CommandError("--new-version-of takes a single file: the new version of that one article.")
        if options["force"]:
            raise CommandError(
                "--force imports a separate article, --new-version-of a new version of one: give one of them."
            )
        try:
            return version_target(slug)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None

    @staticmethod
    def _publisher(publish, username):
        """
        The lead reviewer --publish acts for, or None. Publishing is a lead's
        decision wherever it is made (policy.may_publish): the command names the
        lead rather than acting as nobody, and refuses before reading any file.
        """
        if not publish:
            if username:
                raise CommandError("--by names who publishes: give it with --publish.", returncode=2)
            return None
        if not username:
            raise CommandError("--publish needs --by USERNAME: the lead reviewer who publishes.", returncode=2)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”; nothing imported.", returncode=2)
        if not policy.may_publish(user):
            raise CommandError(
                f"{username} is not a lead reviewer: only lead reviewers can publish an article; nothing imported.",
                returncode=2,
            )
        return user

    def _outcome(self, draft, name, url, options, dry_run, failures, publish_by=None):
        summary = (
            f"{len(draft.claims)} suggested claim(s), {len(draft.marketing)} marketing hit(s), "
            f"{len(draft.disclaimers)} disclaimer(s), {len(draft.boilerplate)} boilerplate line(s)"
        )
        existing = draft.existing()
        if existing:
            return f"{name}: already imported as “{existing.title}” ({existing.slug}); nothing changed."
        if dry_run:
            return f"{name}: would import “{draft.title}”: {summary}. (Dry run: nothing written.)"
        try:
            article = save(
                draft,
                url=url,
                publisher=options["publisher"],
                publish_by=publish_by,
                retrieved_on=options["retrieved_on"],
                promotes_product=options["promotes_product"],
            )
        except AlreadyImported as exc:
            return f"{name}: {exc}"
        except ImportRefused as exc:
            failures.append(name)
            return self.style.ERROR(f"Not imported: {exc}")
        state = "Published." if article.is_published else "A draft until a lead reviewer publishes it."
        version = ""
        if article.previous_version_id is not None:
            version = f" A new version of {article.previous_version.slug}" + (
                ": its claims still quoted here were carried over."
                if article.is_published
                else ": publishing it carries over that version's claims still quoted here."
            )
        return f"{name}: imported “{article.title}” as {article.slug}: {summary}. {state}{version}"


def _add_matches(report, draft):
    """
    Each suggested claim's matches among the claims already stored: id, score,
    status, and the consensus only where policy publishes it (a finalized
    claim), so the report shows no more than the public pages do.
    """
    found = [
        # A suggestion has no statement until a lead writes one: its quote stands in for it.
        matching.matches_for(SimpleNamespace(pk=None, statement=claim.quote, population=claim.population))
        for claim in draft.claims
    ]
    ids = {other_id for matches in found for other_id, _ in matches}
    others = Claim.objects.filter(pk__in=ids).select_related("consensus").in_bulk()
    for claim, matches in zip(report["claims"], found, strict=True):
        claim["matches"] = [_match_entry(others[other_id], result.score) for other_id, result in matches]


def _match_entry(other, score):
    consensus = other.published_consensus
    return {
        "claim": other.pk,
        "score": score,
        "status": other.status,
        "consensus": {"evidence_strength": consensus.evidence_strength, "verdict": consensus.verdict}
        if consensus
        else None,
    }


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” is not a date: write it as YYYY-MM-DD.") from None


def _read(name):
    """
    The file's bytes, at most MAX_BYTES of them: the size is checked before reading, and
    a device or a pipe (which has no size: /dev/zero, a FIFO) is refused rather than read.
    """
    path = Path(name)
    too_big = ImportRefused(f"{name}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        # Before opening: opening a pipe would wait for a writer.
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(status.st_mode):
            raise ImportRefused(f"{name}: is not a regular file (a device, a pipe or a socket).")
        if status.st_size > MAX_BYTES:
            raise too_big
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # the file may have grown since the check
    except IsADirectoryError:
        raise ImportRefused(f"{name}: is a directory, not a file.") from None
    except FileNotFoundError:
        raise ImportRefused(f"{name}: no such file.") from None
    except OSError as exc:
        raise ImportRefused(f"{name}: cannot be read ({exc.strerror}).") from None
    if len(data) > MAX_BYTES:
        raise too_big
    return data
