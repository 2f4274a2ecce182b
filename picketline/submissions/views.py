from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from picketline.accounts.login import staff_is_verified
from picketline.accounts.models import AuditEntry
from picketline.campaigns.models import Campaign
from picketline.campaigns.share import mastodon_host, mastodon_share_url, share_links
from picketline.registers.models import Company
from picketline.submissions import notify, storage
from picketline.submissions.forms import CHANGE_FORMS, EndorsementForm, ReportForm, VideoForm
from picketline.submissions.models import (
    ActionReport,
    Decision,
    Endorsement,
    ReportPhoto,
    Status,
    Submission,
    VideoMessage,
    public_files,
    public_name,
)
from picketline.supporters import after_confirming
from picketline.supporters.abuse import rate_limited, too_many_uploads, uploads_rate_limited
from picketline.supporters.attribution import embed_partner
from picketline.supporters.flow import take_new_action
from picketline.web.cache import public_page
from picketline.web.countries import country_name
from picketline.web.uploads import use_limited_uploads

PAGE_SIZE = 24


def _language(form) -> str:
    chosen = getattr(form, "chosen_language", None) or form.language
    return chosen()


def _form_page(request: HttpRequest, template: str, form, too_many: bool = False) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "too_many": too_many, "campaign": Campaign.objects.current()},
        status=400 if request.method == "POST" else 200,
    )


def _campaign_hashtags() -> str:
    campaign = Campaign.objects.current()
    if campaign is None:
        return ""
    return " ".join(tag.tagged for tag in campaign.hashtags.all())


# --- sending in -------------------------------------------------------------------------------


def _refusal(request: HttpRequest, template: str, form: Any) -> HttpResponse | None:
    """The answer to a sent-in form that is not to be saved: a filled honeypot looks accepted,
    an invalid form comes back with its errors, too many tries get the rate-limit page."""
    if form.is_honeypot_filled():
        return redirect("supporters:check_mail")
    if not form.is_valid():
        return _form_page(request, template, form)
    if rate_limited(request, "submissions", email=form.cleaned_data["email"]):
        return _form_page(request, template, form, too_many=True)
    return None


@csrf_exempt  # the upload handler must be in place before the CSRF check reads the form
@public_page  # the empty form; its CSRF token is a hole (picketline.web.form_token)
@require_http_methods(["GET", "POST"])
def video_form(request: HttpRequest) -> HttpResponse:
    if uploads_rate_limited(request):
        return too_many_uploads()
    # Two files at most: the video and its captions.
    use_limited_uploads(request, settings.SUBMISSIONS_VIDEO_MAX_BYTES, max_files=2)
    # In a partner's embed the origin was checked instead of the cookie (supporters.embed).
    return (_video_body if embed_partner(request) else _video_form)(request)


def _video_body(request: HttpRequest) -> HttpResponse:
    template = "submissions/video_form.html"
    if request.method != "POST":
        return _form_page(request, template, VideoForm(initial={"hashtags": _campaign_hashtags()}))
    form = VideoForm(request.POST, request.FILES, upload_refused=request.upload_refused)
    refusal = _refusal(request, template, form)
    if refusal is not None:
        return refusal
    data = form.cleaned_data
    video = VideoMessage(
        language=_language(form),
        text=data["text"],
        hashtags=data["hashtags"],
        display_name=data["display_name"],
        public_name=form.public_name()[0],
        public_country=form.public_name()[1],
        link=data["link"],
        captions=data["captions"],
    )
    if data["video"]:
        # The file first: a row never names a file that is not there.
        extension = "webm" if form.video_info.container == "webm" else "mp4"
        video.original = storage.keep_original(data["video"], extension)
        video.processing = VideoMessage.Processing.WAITING
        video.width, video.height = form.video_info.width, form.video_info.height
    take_new_action(form, video, request)
    return redirect("supporters:check_mail")


_video_form = csrf_protect(_video_body)


def _store_logo(form: EndorsementForm) -> str:
    if form.logo_image is None:
        return ""
    return storage.save_public("logos", form.logo_image.content, form.logo_image.extension)


# What each kind of submission is called on the page after confirming, and its form.
AFTER_CONFIRMING = {
    "videomessage": (_("Your video message"), "submissions:video_form"),
    "endorsement": (_("Your organisation's endorsement"), "submissions:endorse_form"),
    "actionreport": (_("Your report"), "submissions:report_form"),
}


@public_page
@require_GET
def confirmed(request: HttpRequest, kind: str, newly: bool = True) -> HttpResponse:
    """After confirming a submission: the same page for every sender of that kind."""
    if kind not in AFTER_CONFIRMING:
        raise Http404("No such kind")
    what, form_view = AFTER_CONFIRMING[kind]
    return after_confirming.page(
        request,
        newly=newly,
        what=str(what),
        public_path=reverse(form_view),
        details="submissions/_confirmed.html",
        # Not "it counts now": a moderator looks at it first.
        context={"reviewed_first": True},
    )


@csrf_exempt
@public_page  # the empty form; its CSRF token is a hole (picketline.web.form_token)
@require_http_methods(["GET", "POST"])
def endorse_form(request: HttpRequest) -> HttpResponse:
    if uploads_rate_limited(request):
        return too_many_uploads()
    use_limited_uploads(request, settings.SUBMISSIONS_IMAGE_MAX_BYTES)
    return (_endorse_body if embed_partner(request) else _endorse_form)(request)


def _endorse_body(request: HttpRequest) -> HttpResponse:
    template = "submissions/endorse_form.html"
    if request.method != "POST":
        return _form_page(request, template, EndorsementForm())
    form = EndorsementForm(request.POST, request.FILES, upload_refused=request.upload_refused)
    refusal = _refusal(request, template, form)
    if refusal is not None:
        return refusal
    data = form.cleaned_data
    endorsement = Endorsement(
        language=_language(form),
        organisation=data["organisation"],
        country=data["org_country"],
        kind=data["kind"],
        members=data["members"],
        website=data["org_website"],
        statement=data["statement"],
        contact_role=data["contact_role"],
        logo=_store_logo(form),
    )
    take_new_action(form, endorsement, request)
    return redirect("supporters:check_mail")


_endorse_form = csrf_protect(_endorse_body)


@csrf_exempt
@public_page  # the empty form; its CSRF token is a hole (picketline.web.form_token)
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    if uploads_rate_limited(request):
        return too_many_uploads()
    use_limited_uploads(request, settings.SUBMISSIONS_IMAGE_MAX_BYTES, ActionReport.MAX_PHOTOS)
    return _report_form(request)


def _register_company(data: dict) -> Company | None:
    if data.get("register_company"):
        return data["register_company"]
    name = (data.get("company") or "").strip()
    if not name:
        return None
    found = list(Company.objects.published().search(name)[:2])
    return found[0] if len(found) == 1 else None


@csrf_protect
def _report_form(request: HttpRequest) -> HttpResponse:
    template = "submissions/report_form.html"
    if request.method != "POST":
        return _form_page(request, template, ReportForm())
    form = ReportForm(request.POST, request.FILES, upload_refused=request.upload_refused)
    refusal = _refusal(request, template, form)
    if refusal is not None:
        return refusal
    data = form.cleaned_data
    company = _register_company(data)
    report = ActionReport(
        language=_language(form),
        kind=data["kind"],
        country=data["report_country"],
        happened_on=data["happened_on"],
        title=data["title"],
        text=data["text"],
        group_name=data["group_name"],
        company=company,
        company_name="" if data.get("register_company") else data["company"],
        business_partner=data["business_partner"],
        outcome=data["outcome"],
    )

    def store_photos(report: ActionReport) -> None:
        for position, image in enumerate(form.photo_images):
            ReportPhoto.objects.create(
                report=report,
                file=storage.save_public("photos", image.content, image.extension),
                width=image.width,
                height=image.height,
                position=position,
            )

    take_new_action(form, report, request, with_action=store_photos)
    return redirect("supporters:check_mail")


# --- changes asked for by a moderator ---------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, token: str) -> HttpResponse:
    item = notify.resolve_change_token(token)
    if item is None:
        return render(request, "submissions/change_gone.html", status=404)
    form_class = CHANGE_FORMS[type(item)]
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            item.resubmit()
            Decision.record_resubmission(item)
        return render(request, "submissions/change_done.html", {"item": item})
    last = Decision.objects.for_item(item).filter(action=Decision.Action.REQUEST_CHANGES).first()
    return render(
        request,
        "submissions/change.html",
        {"form": form, "item": item, "request_text": last.reason if last else ""},
        status=400 if request.method == "POST" else 200,
    )


# --- public pages -----------------------------------------------------------------------------


def _share(request: HttpRequest, text: str, url: str) -> dict:
    """Plain share links, and Mastodon's for the instance the visitor typed (a GET form, so it
    works without JavaScript and the page stays cacheable without the query)."""
    typed = request.GET.get("instance", "")[:300]
    host = mastodon_host(typed) if typed else None
    return {
        "links": share_links(text, url),
        "instance": typed,
        "mastodon_host": host or "",
        "mastodon_url": mastodon_share_url(host, f"{text} {url}") if host else "",
        "mastodon_invalid": bool(typed) and host is None,
    }


@public_page
@require_GET
def videos(request: HttpRequest) -> HttpResponse:
    # Hashtags are encrypted at rest, so the choice by tag is made here, on the public videos
    # (read once for the tag cloud anyway). Whole hashtags only: #Free must not match #FreeThem.
    public = list(VideoMessage.objects.public().order_by("-decided_at", "-pk"))
    tags = Counter(t for video in public for t in video.hashtag_list())
    tag = request.GET.get("tag", "").lstrip("#").strip()
    if tag:
        wanted = f"#{tag}".casefold()
        public = [v for v in public if wanted in {t.casefold() for t in v.hashtag_list()}]
    items = public[: PAGE_SIZE * 4]
    return render(
        request,
        "submissions/videos.html",
        {"videos": items, "tag": tag, "tags": tags.most_common(12)},
    )


def public_video_or_404(pk: int) -> VideoMessage:
    video = VideoMessage.objects.public().filter(pk=pk).first()
    if video is None:
        raise Http404("No such video")
    return video


@public_page
@require_GET
def video(request: HttpRequest, pk: int) -> HttpResponse:
    item = public_video_or_404(pk)
    url = settings.SITE_URL + item.get_absolute_url()
    text = " ".join(part for part in (item.text[:200], item.hashtags) if part)
    return render(
        request,
        "submissions/video.html",
        {"video": item, "share": _share(request, text, url), "url": url},
    )


def endorsement_groups() -> dict:
    """Public endorsements grouped by country, with the totals of each group and of all."""
    endorsements = list(Endorsement.objects.public().order_by("country", "organisation"))
    groups: dict[str, dict] = {}
    for item in endorsements:
        group = groups.setdefault(
            item.country,
            {"country": country_name(item.country), "items": [], "members": 0, "count": 0},
        )
        group["items"].append(item)
        group["count"] += 1
        group["members"] += item.members or 0
    ordered = sorted(groups.values(), key=lambda g: (-g["count"], g["country"].casefold()))
    return {
        "groups": ordered,
        "total": len(endorsements),
        "countries": len(ordered),
        "members": sum(g["members"] for g in ordered),
        "by_kind": Endorsement.objects.public()
        .values("kind")
        .annotate(n=Count("pk"), members=Sum("members"))
        .order_by("-n"),
    }


@public_page
@require_GET
def endorsements(request: HttpRequest) -> HttpResponse:
    context = endorsement_groups()
    kinds = dict(Endorsement.Kind.choices)
    context["by_kind"] = [
        {**row, "label": kinds.get(row["kind"], row["kind"])} for row in context["by_kind"]
    ]
    return render(request, "submissions/endorsements.html", context)


def report_counts() -> dict:
    public = ActionReport.objects.public()
    kinds = dict(ActionReport.Kind.choices)
    by_kind = [
        {"kind": row["kind"], "label": kinds.get(row["kind"], row["kind"]), "n": row["n"]}
        for row in public.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    ]
    # Counted by code (decrypted when read), named in the reader's language.
    countries = Counter(public.values_list("country", flat=True))
    by_country = [
        {"code": code, "country": country_name(code), "n": n}
        for code, n in sorted(countries.items(), key=lambda c: (-c[1], country_name(c[0])))
    ]
    return {"by_kind": by_kind, "by_country": by_country, "total": public.count()}


@public_page
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    found = ActionReport.objects.public().select_related("company").prefetch_related("photos")
    kind = request.GET.get("kind", "")
    if kind in ActionReport.Kind.values:
        found = found.filter(kind=kind)
    else:
        kind = ""
    context = {"reports": list(found[: PAGE_SIZE * 4]), "kind": kind, **report_counts()}
    return render(request, "submissions/reports.html", context)


@public_page
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = (
        ActionReport.objects.public()
        .select_related("company")
        .prefetch_related("photos")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No such report")
    url = settings.SITE_URL + item.get_absolute_url()
    return render(
        request,
        "submissions/report.html",
        {"report": item, "share": _share(request, item.title, url)},
    )


# --- files, served only while their item is public --------------------------------------------


def _file_response(request: HttpRequest, relative: str, content_type: str) -> HttpResponse:
    from picketline.submissions.ranges import ranged_file_response

    return ranged_file_response(request, public_files(), public_name(relative), content_type)


@require_GET
def video_file(request: HttpRequest, token: str) -> HttpResponse:
    item = get_object_or_404(VideoMessage.objects.public(), public_token=token)
    if not item.is_playable:
        raise Http404("Not ready")
    return _file_response(request, item.video, "video/mp4")


@require_GET
def captions_file(request: HttpRequest, token: str) -> HttpResponse:
    item = get_object_or_404(VideoMessage.objects.public(), public_token=token)
    if not item.captions:
        raise Http404("No captions")
    response = HttpResponse(item.captions, content_type="text/vtt; charset=utf-8")
    response["Content-Language"] = item.captions_srclang
    return response


@require_GET
def poster_file(request: HttpRequest, token: str) -> HttpResponse:
    item = get_object_or_404(VideoMessage.objects.public(), public_token=token)
    if not item.poster:
        raise Http404("No poster")
    return _file_response(request, item.poster, "image/jpeg")


def _is_moderator(request: HttpRequest) -> bool:
    return staff_is_verified(request.user) and request.user.has_perm("submissions.moderate")


def _private_for_moderators(
    request: HttpRequest, response: HttpResponse, item: Submission, what: str
) -> HttpResponse:
    if _is_moderator(request):
        response["Cache-Control"] = "private, no-store"
        public = item.status == Status.APPROVED and item.confirmed_at is not None
        if not public and response.status_code == 200:
            # Not public yet: only a moderator sees it, and the audit log says who did.
            AuditEntry.log(
                request.user, AuditEntry.Action.VIEW, f"{item._meta.label_lower} #{item.pk} {what}"
            )
    return response


@require_GET
def logo_file(request: HttpRequest, token: str) -> HttpResponse:
    """A logo while its endorsement is public; moderators see it before they decide."""
    found = Endorsement.objects.all() if _is_moderator(request) else Endorsement.objects.public()
    item = get_object_or_404(found, public_token=token)
    if not item.logo:
        raise Http404("No logo")
    kind = "image/png" if item.logo.endswith(".png") else "image/webp"
    response = _file_response(request, item.logo, kind)
    return _private_for_moderators(request, response, item, "logo")


@require_GET
def photo_file(request: HttpRequest, token: str) -> HttpResponse:
    reports = (
        ActionReport.objects.all() if _is_moderator(request) else ActionReport.objects.public()
    )
    photo = get_object_or_404(ReportPhoto.objects.filter(report__in=reports), public_token=token)
    kind = "image/png" if photo.file.endswith(".png") else "image/webp"
    response = _file_response(request, photo.file, kind)
    return _private_for_moderators(request, response, photo.report, f"photo #{photo.pk}")
