"""How far face detection has come, for the status endpoint and the CLI."""

from apps.assets.models import Asset
from apps.scanning.models import AssetStage

from .. import backends
from ..models import Face, Person
from .face_jobs import job_status


def faces_status(user=None) -> dict:
    """Backend, model files and progress (over what `user` sees; everything when None): the totals
    say nothing of libraries `user` cannot see."""
    reason = backends.unavailable_reason()
    faces, stages = Face.objects.all(), AssetStage.objects.filter(stage="faces")
    people = Person.objects.all()
    if user is not None:
        faces, people = faces.visible_to(user), people.visible_to(user)
        stages = stages.filter(asset__in=Asset.objects.visible_to(user))
    status = {
        "available": reason is None,
        "reason": reason,
        "backend": backends.selected_backend(),
        "model_files": [],
        "faces": faces.count(),
        "assigned_faces": faces.filter(person__isnull=False).count(),
        "people": people.count(),
        "assets_done": stages.filter(done_at__isnull=False).count(),
        "assets_failed": stages.filter(done_at__isnull=True).exclude(error="").count(),
        "model_loaded": False,
    }
    if reason is None:
        try:
            backend = backends.get_backend()  # loads once per process; a broken model file shows here
        except Exception as exc:  # noqa: BLE001 - any load failure is the reason faces are unavailable
            status["available"] = False
            status["reason"] = f"{status['backend']}: cannot load its models: {exc}"
        else:
            status["model_files"], status["model_loaded"] = backend.model_files(), True
    status.update(job_status(user))
    return status
