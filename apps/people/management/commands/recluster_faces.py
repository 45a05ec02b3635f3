from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.people import clustering
from apps.people.services import face_settings


class Command(BaseCommand):
    help = (
        "Re-cluster all faces into people (HDBSCAN or DBSCAN). Faces users assigned and people they "
        "named or hid stay; unnamed automatic people are rebuilt. Defaults: the face settings an admin saved, "
        "else the MEDIAHUB_FACE_* settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--max-distance", type=float, help="cosine distance under which faces may be one person")
        parser.add_argument("--min-neighbours", type=int, help="neighbours within max distance that make a face dense")
        parser.add_argument("--min-cluster-size", type=int, help="fewest faces that make a new person")
        parser.add_argument("--algorithm", choices=clustering.params.ALGORITHMS)
        parser.add_argument("--min-score", type=float, help="detector score below which faces are left out")

    def handle(self, *args, **options):
        reason = clustering.unavailable_reason()
        if reason:
            raise CommandError(f"faces unavailable: {reason}")
        names = ("max_distance", "min_neighbours", "min_cluster_size", "algorithm", "min_score")
        given = {name: options[name] for name in names if options[name] is not None}
        try:
            params = face_settings.cluster_params(**given)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"re-clustering: {params.algorithm}, max distance {params.max_distance}, min neighbours "
            f"{params.min_neighbours}, min cluster size {params.min_cluster_size}, min score {params.min_score}"
        )
        with tqdm(total=len(clustering.full.STEPS), unit=" steps", disable=None, dynamic_ncols=True) as bar:

            def on_progress(step, done, total):
                bar.set_description(step)
                bar.update(done - bar.n)

            summary = clustering.recluster(params, on_progress=on_progress)
        self.stdout.write(
            f"{summary['people_created']} people created, {summary['people_deleted']} deleted, "
            f"{summary['people_kept']} kept; {summary['faces_assigned']} faces assigned, "
            f"{summary['faces_unassigned']} unassigned, {summary['faces_changed']} changed; "
            f"{summary['seconds']} s"
        )
