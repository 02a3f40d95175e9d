"""The plan editor: list, create, import, duplicate, edit, preview, export and delete plans.

Built-in plans (the YAML files in ``PLANS_DIR``) are read-only here; plans written in the
app are ``StoredPlan`` rows (``stored.py`` holds the rules). The editor page builds a
structured form from the plan (``static/js/plan-editor.js``) that serialises back to YAML;
every save is checked by the same loader as ``plan check``, and a refused save changes
nothing stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from .. import request_size
from ..access import facilitator_required, is_facilitator
from ..activities import activity_type, all_types, type_labels
from ..activities.slides import DECK_EXTENSIONS, MAX_DECK_NAME, is_deck_name
from ..db import get_db, transaction
from ..errors import Refused
from ..models import DeckPage
from ..security import CONTENT_SECURITY_POLICY
from ..slides import plan_decks
from ..slides.convert import KEYNOTE, keynote_advice, megabytes
from ..slides.convert import MAX_BYTES as MAX_DECK_BYTES
from ..slides.store import keep_deck, prepare_deck
from ..workshop.state import scenario_view, stage_view
from . import stored
from .library import list_plans, stored_row
from .loader import MAX_PLAN_BYTES, PlanError, PlanInvalid, too_big
from .model import OpinionGroups, Plan
from .theme import logo_names

bp = Blueprint("plans", __name__, url_prefix="/facilitator/plans")

STATUS_NAMES = {"builtin": "Built in", "draft": "Draft", "locked": "Locked"}


def _folder() -> str:
    return current_app.config["PLANS_DIR"]


def _errors_json(errors: list[PlanError]) -> list[dict]:
    return [{"line": e.line, "field": e.field, "message": e.message} for e in errors]


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def editor_types() -> list[dict]:
    """Every activity type as the editor offers it: its name for people, the stage fields
    only it uses, how many items it needs (None: it takes none) and whether its answers are
    comments (so a stage of it always takes them)."""
    return [
        {
            "name": kind.name,
            "label": str(kind.label),
            "hint": kind.editor_hint,
            "item_word": kind.item_word,
            "plan_fields": list(kind.plan_fields),
            "min_items": kind.min_items,
            "always_comments": kind.always_comments,
        }
        for kind in all_types()
    ]


def plan_form(plan: Plan) -> dict:
    """The plan as the editor's form holds it (plain JSON), every field spelt out."""
    stages = []
    for stage in plan.stages:
        activity = stage.activity
        items = list(activity.items)
        if items and items == list(activity_type(activity.type).default_items):
            items = []  # the plan gave none (a grid without items places the scenario)
        axes = activity.axes
        stages.append(
            {
                "key": stage.key,
                "title": stage.title,
                "prompt": stage.prompt,
                "type": activity.type,
                "body": activity.body,
                "comments": stage.comments,
                "timer": stage.timer,
                "items": [
                    {"key": i.key, "label": i.label, "description": i.description} for i in items
                ],
                "multiple": activity.multiple,
                "scale": (
                    {
                        "min": activity.scale.min,
                        "max": activity.scale.max,
                        "min_label": activity.scale.min_label,
                        "max_label": activity.scale.max_label,
                    }
                    if activity.scale is not None
                    else None
                ),
                "max_length": activity.max_length,
                "points": activity.points,
                "axes": (
                    {
                        name: {"label": axis.label, "low": axis.low, "high": axis.high}
                        for name, axis in (("x", axes.x), ("y", axes.y))
                    }
                    if axes is not None
                    else None
                ),
                "size": activity.size,
                "max_words": activity.max_words,
                "opinion_groups": opinion_groups_form(activity),
                "deck": activity.deck,
                "pages": list(activity.pages) if activity.pages is not None else None,
            }
        )
    return {
        "title": plan.title,
        "description": plan.description,
        "privacy_notice": plan.privacy_notice,
        "retention_days": plan.retention_days,
        "min_group_size": plan.min_group_size,
        "sectors": list(plan.sectors),
        "tables": list(plan.tables),
        "moderation": {
            "profanity_filter": plan.moderation.profanity_filter,
            "word_limit": plan.moderation.word_limit,
        },
        # Written back only when not the default (static/js/plan-yaml.js).
        "flow": {"input": plan.flow.input, "reveal": plan.flow.reveal},
        "theme": {"accent": plan.theme.accent, "mode": plan.theme.mode, "logo": plan.theme.logo},
        "self_paced": asdict(plan.self_paced),
        "scenarios": [
            {
                "key": s.key,
                "title": s.title,
                "summary": s.summary,
                "data": s.data,
                "sharing": s.sharing,
                "anonymisation": s.anonymisation,
            }
            for s in plan.scenarios
        ],
        "stages": stages,
        # Not edited by the form, but written back by it (static/js/plan-yaml.js).
        "framework": framework_form(plan.framework),
        "translations": plan.translations,
    }


def opinion_groups_form(activity) -> bool | dict:
    """A statements stage's ``opinion_groups`` as the plan writes it: false (off), true
    (the defaults), or the settings that are not the default, for the editor to write back
    unchanged. Other types' stages hold true, so a stage made a statements stage in the
    editor gets the default (on), as a plan that leaves the field out does."""
    opinion = activity.opinion_groups
    if "opinion_groups" not in activity_type(activity.type).plan_fields:
        return True
    if opinion is None:
        return False
    default = OpinionGroups()
    changed = {k: v for k, v in asdict(opinion).items() if v != getattr(default, k)}
    return changed or True


def framework_form(framework) -> dict | None:
    """The plan's ``framework:`` as the plan writes it (a feature that takes every item of
    its stage by the stage's key alone), for the editor to write back unchanged."""
    if framework is None:
        return None
    form: dict = {}
    if framework.tests:
        form["tests"] = list(framework.tests)
    if framework.features:
        form["features"] = [
            f.stage if f.every_item else {"stage": f.stage, "questions": list(f.questions)}
            for f in framework.features
        ]
    return form


def _status(slug: str, builtin: bool) -> str:
    return "builtin" if builtin else stored.plan_status(get_db(), slug)


# The list of plans


def _index(import_errors: list[PlanError] | None = None, import_source: str = "", status=200):
    db = get_db()
    listings = list_plans(_folder(), db)
    statuses = {
        listing.slug: "builtin" if listing.builtin else stored.plan_status(db, listing.slug)
        for listing in listings
    }
    return (
        render_template(
            "plans/index.html",
            listings=listings,
            statuses=statuses,
            status_names=STATUS_NAMES,
            import_errors=import_errors,
            import_source=import_source,
            header_context="Plans",
        ),
        status,
    )


@bp.get("/")
@facilitator_required
def index():
    return _index()


@bp.post("/new")
@facilitator_required
def new():
    row = stored.create_plan(get_db(), _folder(), stored.STARTER_PLAN, current_user.id)
    flash("A new plan was created from the starter plan. Edit it and save.", "success")
    return redirect(url_for("plans.edit", slug=row.slug))


@bp.post("/import")
@facilitator_required
def import_yaml():
    upload = request.files.get("file")
    db = get_db()
    if upload is not None and upload.filename:
        data = upload.read()  # at most MAX_CONTENT_LENGTH; the loader checks a plan's size
        try:
            row = stored.import_plan(db, _folder(), data, upload.filename, current_user.id)
        except PlanInvalid as invalid:
            # Shown again to be fixed, unless it is too big to be a plan at all.
            fits = len(data) <= MAX_PLAN_BYTES
            source = data.decode("utf-8-sig", errors="replace") if fits else ""
            return _index(invalid.errors, source, 400)
    else:
        source = request.form.get("source", "")
        if not source.strip():
            error = PlanError(None, "", "choose a YAML file to import")
            return _index([error], "", 400)
        try:
            row = stored.create_plan(db, _folder(), source, current_user.id)
        except PlanInvalid as invalid:
            return _index(invalid.errors, source, 400)
    flash(f"Imported “{stored.validate(row.source, row.slug).title}”.", "success")
    return redirect(url_for("plans.edit", slug=row.slug))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge):
    """A request over MAX_CONTENT_LENGTH to a plan page: the plan's own size problem, where
    the editor shows problems (as JSON to its script), for a facilitator only (the body is
    refused before the login is checked)."""
    if not is_facilitator():
        return request_size.too_large(error)
    if request.endpoint == "plans.upload_deck":
        return _deck_reply(False, _deck_too_big(), 413)
    problem = too_big()
    if _wants_json():
        return jsonify(ok=False, error=problem.message, errors=_errors_json([problem])), 413
    slug = (request.view_args or {}).get("slug")
    if request.endpoint == "plans.preview":
        page = render_template("plans/preview.html", plan=None, errors=[problem])
        return _frameable(page), 413
    if request.endpoint == "plans.save" and slug:
        source, builtin = _source_or_404(slug)
        return _editor(slug, source, builtin, [problem], status=413)
    return _index([problem], "", 413)


# One plan


def _source_or_404(slug: str) -> tuple[str, bool]:
    try:
        return stored.source_of(get_db(), _folder(), slug)
    except LookupError:
        abort(404)


def _editor(slug: str, source: str, builtin: bool, errors=None, saved_source=None, status=200):
    """The editor page. ``source`` is what it shows (possibly unsaved and invalid);
    ``saved_source`` what is stored, when that differs."""
    state = _status(slug, builtin)
    locked_by = stored.locking_sessions(get_db(), slug) if state == "locked" else []
    shown = saved = None
    try:
        shown = stored.validate(source, slug, _folder(), builtin=builtin)
    except PlanInvalid as invalid:
        errors = errors or invalid.errors
    try:
        saved = shown
        if saved_source is not None:
            saved = stored.validate(saved_source, slug, _folder())
    except PlanInvalid:
        pass
    return (
        render_template(
            "plans/editor.html",
            slug=slug,
            source=source,
            plan=saved or shown,
            form_data=plan_form(shown) if shown is not None else None,
            state=state,
            builtin=builtin,
            status_names=STATUS_NAMES,
            locked_by=locked_by,
            readonly=state != "draft",
            errors=errors or [],
            type_names=type_labels(),
            activity_types=editor_types(),
            logo_names=logo_names(_folder()),
            header_context="Plans",
            **_decks_context(slug, builtin, saved or shown),
        ),
        status,
    )


@bp.get("/<slug>")
@facilitator_required
def edit(slug: str):
    source, builtin = _source_or_404(slug)
    return _editor(slug, source, builtin)


@bp.post("/<slug>")
@facilitator_required
def save(slug: str):
    _, builtin = _source_or_404(slug)
    source = request.form.get("source", "").replace("\r\n", "\n")
    db = get_db()
    try:
        row = stored.save_plan(db, _folder(), slug, source)
    except Refused as refused:
        if _wants_json():
            return jsonify(ok=False, refused=refused.message, errors=[]), 409
        flash(f"Not saved. {refused.message}", "error")
        return _editor(slug, source, builtin, status=409)
    except PlanInvalid as invalid:
        if _wants_json():
            return jsonify(ok=False, errors=_errors_json(invalid.errors)), 400
        saved = stored_row(db, slug)
        return _editor(slug, source, builtin, invalid.errors, saved.source, 400)
    # Saved as a draft may be, but a session cannot open it until its decks are there:
    # the editor shows what is missing (decks are uploaded after the stage that names them).
    deck_problems = plan_decks.check_decks(db, stored.validate(row.source, slug))
    if _wants_json():
        return jsonify(
            ok=True,
            saved_at=row.updated_at.isoformat(),
            deck_problems=_errors_json(deck_problems),
            decks_panel=_decks_panel(slug),
        )
    flash("Plan saved.", "success")
    for problem in deck_problems:
        flash(gettext("Before a session can open this plan: %(problem)s", problem=problem), "error")
    return redirect(url_for("plans.edit", slug=slug))


@bp.post("/<slug>/duplicate")
@facilitator_required
def duplicate(slug: str):
    _source_or_404(slug)
    try:
        row = stored.duplicate_plan(get_db(), _folder(), slug, current_user.id)
    except PlanInvalid as invalid:
        flash(
            f"The plan could not be duplicated: it has {len(invalid.errors)} problem"
            f"{'s' if len(invalid.errors) != 1 else ''}. Fix the file first.",
            "error",
        )
        return redirect(url_for("plans.index"))
    flash("Plan duplicated: this is the copy, ready to edit.", "success")
    return redirect(url_for("plans.edit", slug=row.slug))


@bp.get("/<slug>/delete")
@facilitator_required
def confirm_delete(slug: str):
    source, builtin = _source_or_404(slug)
    try:
        stored.editable_row(get_db(), _folder(), slug)
    except Refused as refused:
        flash(f"The plan cannot be deleted. {refused.message}", "error")
        return redirect(url_for("plans.index"))
    title = slug
    try:
        title = stored.validate(source, slug).title
    except PlanInvalid:
        pass
    return render_template("plans/delete.html", slug=slug, title=title, header_context="Plans")


@bp.post("/<slug>/delete")
@facilitator_required
def delete(slug: str):
    _source_or_404(slug)
    try:
        stored.delete_plan(get_db(), _folder(), slug)
    except Refused as refused:
        flash(f"The plan was not deleted. {refused.message}", "error")
        return redirect(url_for("plans.index"))
    flash(f"The plan “{slug}” was deleted.", "success")
    return redirect(url_for("plans.index"))


@bp.get("/<slug>/export.yaml")
@facilitator_required
def export_yaml(slug: str):
    source, _ = _source_or_404(slug)
    return Response(
        source,
        mimetype="application/x-yaml",
        headers={"Content-Disposition": f'attachment; filename="{slug}.yaml"'},
    )


# Helpers of the editor page (JSON and the preview frame)


@bp.post("/parse")
@facilitator_required
def parse():
    """The form data of a YAML text (for the YAML tab -> form switch), or its problems."""
    source = request.form.get("source", "")
    try:
        plan = stored.validate(source, folder=_folder())
    except PlanInvalid as invalid:
        return jsonify(ok=False, errors=_errors_json(invalid.errors)), 400
    return jsonify(ok=True, plan=plan_form(plan))


@bp.post("/check")
@facilitator_required
def check():
    """Whether a YAML text is a valid plan, with its problems by line and field."""
    try:
        stored.validate(request.form.get("source", ""), folder=_folder())
    except PlanInvalid as invalid:
        return jsonify(ok=False, errors=_errors_json(invalid.errors))
    return jsonify(ok=True, errors=[])


@bp.post("/preview")
@facilitator_required
def preview():
    """One stage of a (possibly unsaved) plan as a phone shows it, for the editor's frame."""
    source = request.form.get("source", "")
    try:
        plan = stored.validate(source)
    except PlanInvalid as invalid:
        response = render_template("plans/preview.html", plan=None, errors=invalid.errors)
        return _frameable(response), 200
    index = plan.stage_index(request.form.get("stage", "")) or 0
    stage = plan.stages[index]
    scenario = plan.scenario(request.form.get("scenario")) or (
        plan.scenarios[0] if plan.scenarios else None
    )
    # A slides stage shows the pages of the deck uploaded for the plan being edited.
    slug = request.form.get("slug", "")
    pages = plan_decks.preview_view(
        get_db(),
        slug,
        stage,
        lambda number: url_for(
            "plans.deck_page", slug=slug, name=stage.activity.deck, number=number
        ),
    )
    data = {
        "plan_title": plan.title,
        "stage_index": index,
        "stage_count": len(plan.stages),
        "stage": {**stage_view(stage), **pages},
        "scenario": scenario_view(scenario),
        "sectors": list(plan.sectors),
        "tables": list(plan.tables),
    }
    response = render_template("plans/preview.html", plan=plan, data=data, errors=[])
    return _frameable(response), 200


def _frameable(html: str) -> Response:
    """The preview is shown in a frame of the editor: allow that page (and only it)."""
    response = Response(html)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    return response


# Slide decks: uploaded with a plan written in the app, named by its slides stages


# A deck upload may be as large as a deck file may be (slides/convert.py), and a little more
# for the form around it; the file itself is checked by the store.
request_size.allow_larger("plans.upload_deck", MAX_DECK_BYTES + 1024 * 1024, is_facilitator)


def _deck_too_big() -> str:
    """What a facilitator is told of a request too large to read (its size unknown)."""
    return gettext(
        "The file is too large: a deck can be at most %(limit)s. Export it with smaller "
        "images, or split it into two decks.",
        limit=megabytes(MAX_DECK_BYTES),
    )


def deck_name(filename: str) -> str | None:
    """The name an uploaded file's deck is kept under: its file name, with the characters a
    deck's name may not hold made "-" (accents dropped), or None when it is not a deck.
    A name with nothing left of it (written in another script: "研修.pdf") is "deck.pdf":
    the file is a deck all the same."""
    plain = unicodedata.normalize("NFKD", Path((filename or "").replace("\\", "/")).name)
    plain = plain.encode("ascii", "ignore").decode()
    stem, dot, extension = plain.rpartition(".")
    stem = re.sub(r"[^A-Za-z0-9_. -]+", "-", stem).strip(" .-_") or "deck"
    name = f"{stem[: MAX_DECK_NAME - len(extension) - 1]}.{extension}"
    return name if dot and is_deck_name(name) else None


def _decks_context(slug: str, builtin: bool, plan) -> dict:
    """What the editor's Slide decks panel shows (templates/plans/_decks.html)."""
    db = get_db()
    decks = {} if builtin else plan_decks.decks_of_plan(db, slug)
    used: dict[str, list[int]] = {}
    for number, stage in enumerate(plan.stages if plan is not None else (), start=1):
        if stage.activity.deck:
            used.setdefault(stage.activity.deck, []).append(number)
    problems = plan_decks.check_decks(db, plan) if plan is not None and not builtin else []
    return {
        "decks": decks,
        "deck_stages": used,
        "deck_problems": problems,
        "deck_list": [{"name": name, "pages": deck.page_count} for name, deck in decks.items()],
        "deck_accept": ",".join(DECK_EXTENSIONS),
        "deck_max": megabytes(MAX_DECK_BYTES),
    }


def _decks_panel(slug: str) -> str:
    """The panel's list of decks, as the editor page shows it (for its script to replace)."""
    source, builtin = _source_or_404(slug)
    try:
        plan = stored.validate(source, slug)
    except PlanInvalid:
        plan = None
    return render_template(
        "plans/_decks.html",
        slug=slug,
        readonly=builtin or stored.plan_status(get_db(), slug) != "draft",
        **_decks_context(slug, builtin, plan),
    )


def _deck_reply(ok: bool, message: str, status: int = 200):
    """The answer to an upload or removal: JSON for the editor's script (with the panel's
    list redrawn, which lists the decks for the stage form too), else back to the editor
    with the message."""
    slug = (request.view_args or {}).get("slug", "")
    if _wants_json():
        key = "message" if ok else "error"
        return jsonify({"ok": ok, key: message, "decks_panel": _decks_panel(slug)}), status
    if ok:
        flash(message, "success")
    else:
        flash(gettext("Not done. %(why)s", why=message), "error")
    return redirect(url_for("plans.edit", slug=slug) + "#slide-decks")


def _decks_fixed(db, slug: str):
    """None while the plan's decks may change; else the reply that says why they may not
    (a built-in plan, or one a session has locked)."""
    try:
        stored.editable_row(db, _folder(), slug)
    except Refused as refused:
        return _deck_reply(False, refused.message, 409)
    return None


@bp.post("/<slug>/decks")
@facilitator_required
def upload_deck(slug: str):
    """Upload a deck for the plan's slides stages; it replaces the deck of the same name."""
    _source_or_404(slug)
    db = get_db()
    if (refusal := _decks_fixed(db, slug)) is not None:
        return refusal
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _deck_reply(False, gettext("Choose a deck to upload."), 400)
    name = deck_name(upload.filename)
    if name is None:
        message = gettext(
            "“%(file)s” is not a kind of deck the app takes: upload a PDF (.pdf), a "
            "PowerPoint deck (.pptx or .ppt) or an OpenDocument presentation (.odp).",
            file=upload.filename,
        )
        if upload.filename.lower().endswith(KEYNOTE):
            message = keynote_advice()  # a deck, only of a kind to export as PDF first
        return _deck_reply(False, message, 400)
    data = upload.read(MAX_DECK_BYTES + 1)  # one byte over is enough for the store to refuse
    try:
        # Rendered outside any transaction (it takes up to minutes), then kept in one.
        prepared = prepare_deck(db, data, name)
    except Refused as refused:  # the store's DeckRefused: encrypted, broken, too many pages...
        return _deck_reply(False, refused.message, 400)
    try:
        with transaction(db):
            stored.editable_row(db, _folder(), slug)  # again: a session may have opened
            deck = keep_deck(db, prepared)
            plan_decks.attach(db, slug, name, deck)
    except Refused as refused:
        return _deck_reply(False, refused.message, 409)
    except IntegrityError:  # PostgreSQL: the same deck uploaded at the same moment
        message = gettext(
            "Another upload of this deck was saved at the same moment. Upload it again."
        )
        return _deck_reply(False, message, 409)
    message = ngettext(
        "Uploaded %(name)s: %(num)d page. Choose it as the deck of a slides stage.",
        "Uploaded %(name)s: %(num)d pages. Choose it as the deck of a slides stage.",
        deck.page_count,
        name=name,
    )
    return _deck_reply(True, message)


@bp.post("/<slug>/decks/<name>/remove")
@facilitator_required
def remove_deck(slug: str, name: str):
    _source_or_404(slug)
    db = get_db()
    if (refusal := _decks_fixed(db, slug)) is not None:
        return refusal
    if not plan_decks.detach(db, slug, name):
        abort(404)
    db.commit()
    return _deck_reply(True, gettext("Removed %(name)s.", name=name))


@bp.get("/<slug>/decks/<name>/<int:number>.webp")
@facilitator_required
def deck_page(slug: str, name: str, number: int):
    """A page of one of the plan's decks as phones see it (the panel's thumbnail): only
    what was rendered from the deck reaches a browser, never the file itself."""
    deck = plan_decks.decks_of_plan(get_db(), slug).get(name)
    image = None
    if deck is not None:
        image = get_db().scalar(
            select(DeckPage.phone).where(DeckPage.deck_id == deck.id, DeckPage.number == number)
        )
    if image is None:
        abort(404)
    response = Response(image, mimetype="image/webp")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
