import logging
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.search.clip import embeddings, model
from apps.search.clip.coverage import clip_coverage


class Command(BaseCommand):
    help = "Compute CLIP embeddings for semantic search: assets without one (--missing, default) or all (--all)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--missing", action="store_true",
                           help="photos and videos without an embedding of the configured model (default)")
        which.add_argument("--all", action="store_true", help="every photo and video again")
        parser.add_argument("--inline", action="store_true", help="run here instead of queueing for the workers")

    def handle(self, *args, all, inline, **options):
        logging.getLogger("django-q").setLevel(logging.WARNING)
        # May download the model once (with network): better here, before queueing work that needs it.
        reason = model.unavailable_reason(download=True)
        if reason:
            raise CommandError(f"CLIP unavailable: {reason}")
        todo = embeddings.embeddable() if all else embeddings.without_current_embedding()
        start = time.monotonic()
        with tqdm(total=todo.count(), unit=" assets", disable=None, dynamic_ncols=True) as bar:
            try:
                sent = embeddings.queue_embeddings(everything=all, inline=inline, on_progress=bar.update)
            except ValueError as exc:  # the clip stage is not in MEDIAHUB_PIPELINE_STAGES
                raise CommandError(str(exc)) from None
        elapsed = max(time.monotonic() - start, 1e-6)
        status = clip_coverage()
        where = f"embedded here ({sent / elapsed:.1f}/s)" if inline else "queued for the workers"
        self.stdout.write(
            f"{sent} assets {where} ({'all' if all else 'missing'}); model {status['model']}; "
            f"{status['done']} of {status['total']} photos and videos embedded, {status['failed']} failed"
        )
