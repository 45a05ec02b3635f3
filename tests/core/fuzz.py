"""Schemathesis over MediaHub's OpenAPI schema (/api/schema/), in-process through the WSGI app, against
the test database: every operation, positive and negative data, as each kind of user.

Each generated request runs inside a savepoint that is rolled back, so every case sees the same
seeded objects (a DELETE does not take them away from the cases after it). Used by
tests/core/test_schemathesis.py (small, in the suite) and tests/benchmarks/bench_schemathesis.py.

Findings: any 5xx except a 503 with a reason (a feature that cannot run here, e.g. no CLIP model:
the design's answer), and any documented response whose body does not match the schema.
"""

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import hypothesis
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from apps.accounts import signup
from apps.accounts.models import Passkey, SignupRequest
from apps.accounts.tokens import create_token
from apps.albums import services as albums
from apps.assets.models import AssetGeneration, DuplicateGroup, DuplicateMember
from apps.assets.stacks import services as stacks
from apps.scanning.models import FileOperation, ScanRun
from apps.scanning.uploads import services as uploads
from apps.search.ocr import engine as ocr, reading as ocr_reading
from apps.tags import services as tags
from apps.webhooks import services as webhooks
from mediahub.wsgi import application
from tests.assets.media_samples import asset_for, library_at, quadrant_pattern
from tests.factories import LibraryFactory, UserFactory
from tests.people.factories import FaceFactory, PersonFactory, unit

MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)

# A tus PATCH body is raw bytes under its own media type (apps/scanning/uploads/api/tus.py).
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")


@dataclass
class Finding:
    operation: str
    user: str
    kind: str  # "5xx <status>" or "schema <status>"
    detail: str
    request: str
    count: int = 1


@dataclass
class Report:
    operations: int = 0
    cases: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    findings: dict = field(default_factory=dict)  # (operation, kind, first line) -> Finding
    unsatisfiable: set = field(default_factory=set)  # operation (mode) with no case to generate

    def add(self, finding: Finding) -> None:
        # A 500's body only differs by its error id: one finding per operation and status.
        first_line = "" if finding.kind.startswith("5xx") else (finding.detail.splitlines() or [""])[0]
        known = self.findings.setdefault((finding.operation, finding.kind, first_line), finding)
        if known is not finding:
            known.count += 1

    def summary(self) -> str:
        lines = [
            f"{self.operations} operations, {self.cases} cases, {len(self.findings)} distinct failures "
            f"in {self.seconds:.0f} s ({self.cases / max(self.seconds, 1e-9):.0f} cases/s)",
            "statuses: " + ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items())),
            f"no case to generate: {len(self.unsatisfiable)} operation/mode pairs",
        ]
        for finding in self.findings.values():
            lines.append(
                f"- {finding.kind} {finding.operation} ({finding.count}x, first as {finding.user}): "
                f"{finding.detail[:300]}"
            )
            lines.append(f"    {finding.request}")
        return "\n".join(lines)


def without_clip(settings, monkeypatch) -> None:
    """Semantic search answers its documented 503 at once instead of looking for a model."""
    settings.MEDIAHUB_CLIP_MODEL = "no-such-clip-model"
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def seed(root: Path, plain_user, other_user, superuser) -> dict:
    """A few real objects of each kind for the generated requests to find; {path prefix: id}."""
    root.mkdir(parents=True, exist_ok=True)
    quadrant_pattern(320, 240).save(root / "photo.jpg", quality=80)
    quadrant_pattern(240, 320).save(root / "portrait.jpg", quality=80)
    library = library_at(root, plain_user)
    photo, portrait = asset_for(library, "photo.jpg"), asset_for(library, "portrait.jpg")
    LibraryFactory(owner=other_user)  # someone else's, which the plain user must not reach
    AssetGeneration.objects.create(  # the detail's nested generation record, checked against its schema
        asset=photo, generator="ComfyUI", prompt="a fuzz", steps=20, cfg_scale=7.5, seed="18446744073709551615",
        model_name="fuzzXL", loras=[{"name": "detail", "weight": None}], extra={"Version": "v1"},
    )
    ocr_reading.store([(photo, [ocr.Line("FUZZ", 0.9, [[0.1, 0.1], [0.4, 0.1], [0.4, 0.2], [0.1, 0.2]])])])
    person = PersonFactory(name="Ada")
    face = FaceFactory(asset=photo, person=person)
    FaceFactory(asset=portrait, embedding=unit(1.0, 0.1))
    FaceFactory(asset=photo, x=120, embedding=unit(1.0, 0.0))  # with the portrait's: a look-alike group
    group = DuplicateGroup.objects.create(owner=plain_user, kind="near", signature="fuzz")
    for n, asset in enumerate((photo, portrait)):
        DuplicateMember.objects.create(group=group, asset=asset, distance=n, is_reference=n == 0)
    scan = ScanRun.objects.create(library=library, state="done")
    # Read-only, so the generated moves and copies answer 409 and leave the seeded files where they are.
    operation = FileOperation.objects.create(library=library, user=plain_user, kind="mkdir", state="done", destination="new")
    library.ignored_paths.create(path="deleted-for-good.jpg")  # GET .../ignored/ lists something
    token, _ = create_token(plain_user, "fuzz")
    album = albums.create_album(plain_user, "Fuzz")
    albums.add_items(plain_user, album, [photo.pk, portrait.pk])
    link = albums.create_link(plain_user, album=album)
    upload = uploads.start(plain_user, "fuzz.jpg", 4096)
    tag = tags.add_tags(plain_user, [photo.pk], ["Fuzz/Tag", "Fuzz/Other"])["tags"][0]
    stack = stacks.join([photo, portrait], kind="burst", cover=photo)
    hook = webhooks.create_hook(superuser, name="fuzz", url="http://127.0.0.1:9/", events=["album.shared"])
    webhooks.ping(superuser, hook)  # a delivery for .../deliveries/ to list (no worker sends it)
    passkey = Passkey.objects.create(
        user=plain_user, name="fuzz", credential_id="ZnV6ei1jcmVkZW50aWFs", public_key=b"\xa0", user_handle="ZnV6eg"
    )
    invitation, _ = signup.create_invitation(superuser, "fuzz")
    waiting = SignupRequest.objects.create(user=UserFactory(username="fuzz-newcomer", is_active=False))
    return {
        "/api/libraries/": library.pk,
        "/api/assets/": photo.pk,
        "/api/people/": person.pk,
        "/api/faces/": face.pk,
        "/api/duplicates/": group.pk,
        "/api/scans/": scan.pk,
        "/api/file-operations/": operation.pk,
        "/api/auth/tokens/": token.pk,
        "/api/albums/": album.pk,
        "/api/links/": link.pk,
        "/api/uploads/tus/": upload.pk,
        "/api/tags/": tag.pk,
        "/api/stacks/": stack.pk,
        "/api/webhooks/": hook.pk,
        "/api/auth/passkeys/": passkey.pk,
        "/api/auth/invitations/": invitation.pk,
        "/api/auth/signups/": waiting.pk,
    }


def load_schema():
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def _real_ids(operation, ids: dict) -> dict | None:
    names = [p.name for p in operation.path_parameters]
    if names != ["id"]:
        return None
    return next(
        ({"id": str(value)} for prefix, value in ids.items() if operation.path.startswith(prefix)), None
    )


def _strategy(operation, mode, ids):
    generated = operation.as_strategy(generation_mode=mode)
    fixed = _real_ids(operation, ids)
    if fixed is None:
        return generated
    # Half of the cases aim at objects that exist, so detail routes do more than answer 404.
    return st.one_of(generated, operation.as_strategy(generation_mode=mode, path_parameters=fixed))


def _describe(exc: BaseException) -> str:
    """Each failed check's title and message (a FailureGroup holds several)."""
    parts = getattr(exc, "exceptions", None) or [exc]
    return "; ".join(
        f"{getattr(e, 'title', type(e).__name__)}: {getattr(e, 'message', e)}".strip() for e in parts
    )


def _run_case(case, user: str, headers: dict, report: Report) -> None:
    with transaction.atomic():
        try:
            response = case.call(headers=headers)
            report.cases += 1
            report.statuses[response.status_code] += 1
            request = f"{case.method} {response.request.url}"
            body = response.text[:500] if response.status_code >= 500 else ""
            if response.status_code >= 500 and not (response.status_code == 503 and '"detail"' in body):
                report.add(Finding(case.operation.label, user, f"5xx {response.status_code}", body, request))
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every check failure is a finding
                report.add(
                    Finding(
                        case.operation.label, user, f"schema {response.status_code}", _describe(exc), request
                    )
                )
        finally:
            transaction.set_rollback(True)


def _runner(strategy, settings, user: str, headers: dict, report: Report):
    @settings
    @hypothesis.given(case=strategy)
    def run(case):
        _run_case(case, user, headers, report)

    return run


@contextmanager
def connection_kept_open():
    """As Django's test client does: a request must not close the connection holding the test's
    transaction (request_finished closes one whose autocommit differs from the settings)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz(
    users: dict, ids: dict, max_examples: int, modes=MODES, only: str | None = None, derandomize: bool = True
) -> Report:
    """Run every operation (or those whose label contains `only`) for each {name: headers} user.

    `derandomize`: the same cases on every run, so a finding replays; False explores new ones."""
    with connection_kept_open():
        return _fuzz(users, ids, max_examples, modes, only, derandomize)


def _fuzz(users, ids, max_examples, modes, only, derandomize) -> Report:
    schema = load_schema()
    report = Report()
    started = time.monotonic()
    settings = hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=derandomize,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    for result in schema.get_all_operations():
        operation = result.ok()
        if only and only not in operation.label:
            continue
        report.operations += 1
        for mode in modes:
            strategy = _strategy(operation, mode, ids)
            for user, headers in users.items():
                try:
                    _runner(strategy, settings, user, headers, report)()
                except hypothesis.errors.Unsatisfiable:
                    report.unsatisfiable.add(f"{operation.label} ({mode.value})")  # nothing negative to send
    report.seconds = time.monotonic() - started
    return report


def token_headers(user) -> dict:
    _, key = create_token(user, "fuzz caller")
    return {"Authorization": f"Token {key}"}
