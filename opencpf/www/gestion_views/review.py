"""The agents' review queues (identity checks, situations to confirm, access from abroad) share one set of views
and templates: the queue (oldest first, the answer target of `identity/review_target_hours`, what is overdue), an
item's page with its document (opened under audit), approve and refuse. What a queue is on the web (titles,
words, what a row shows) is a `Queue` (`review_queues`); what a decision does is its `ReviewKind`
(`opencpf.identity.review`)."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from opencpf.identity import review, selectors
from opencpf.utils.client import client_ip
from opencpf.www.downloads import uploaded_file_response
from opencpf.www.gestion_views.access import agent_required
from opencpf.www.gestion_views.common import breadcrumb
from opencpf.www.gestion_views.forms import RejectForm
from opencpf.www.gestion_views.review_queues import QUEUES, Queue

PAGE = 100


def _queue(name: str) -> Queue:
    return QUEUES[name]


def _due(item, hours: int) -> datetime.datetime:
    return item.created_at + datetime.timedelta(hours=hours)


def _breadcrumb(queue: Queue, *, item=None) -> list[dict]:
    if item is None:
        return breadcrumb()
    return breadcrumb({"url": queue.reverse("queue"), "title": queue.title})


@agent_required
def queue_page(request, queue: str):
    queue = _queue(queue)
    kind, hours, now = queue.kind, review.review_target_hours(), timezone.now()
    pending = selectors.review_pending(kind)
    rows = [
        {
            "item": item,
            "url": queue.reverse("item", item),
            "reference": queue.reference(item),
            "summary": queue.summary(item),
            "badges": queue.badges(item),
            "due": _due(item, hours),
            "late": _due(item, hours) < now,
        }
        for item in pending[:PAGE]
    ]
    context = {
        "queue": queue,
        "rows": rows,
        "count": pending.count(),
        "overdue": selectors.review_overdue_count(kind, now=now, hours=hours),
        "hours": hours,
        "page_title": queue.title,
        "breadcrumb": _breadcrumb(queue),
    }
    return render(request, "gestion/review_queue.html", context)


@agent_required
def item_page(request, queue: str, item_id: int):
    queue = _queue(queue)
    item = queue.kind.model.objects.select_related("holder__user", "decided_by").filter(pk=item_id).first()
    if item is None:
        raise Http404
    hours = review.review_target_hours()
    pending = item.status == queue.kind.pending
    context = {
        "queue": queue,
        "item": item,
        "facts": queue.facts(item),
        "badges": queue.badges(item),
        "reason": getattr(item, queue.kind.reason_field),
        "has_document": bool(getattr(item, queue.kind.document_field)),
        "pending": pending,
        "warning": queue.warning(item) if pending else "",
        "due": _due(item, hours),
        "late": pending and _due(item, hours) < timezone.now(),
        "hours": hours,
        "approve_form": queue.approve_form() if queue.approve_form else None,
        "approve_url": queue.reverse("approve", item),
        "refuse_url": queue.reverse("refuse", item),
        "document_url": queue.reverse("document", item),
        "reject_form": RejectForm(),
        "page_title": queue.item_title % {"reference": queue.reference(item)},
        "breadcrumb": _breadcrumb(queue, item=item),
    }
    return render(request, "gestion/review_item.html", context)


def _decide(request, queue: Queue, item_id: int, call, success: str):
    try:
        call()
    except review.ReviewError as error:
        if error.status == 404:
            raise Http404
        for errors in error.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(f"gestion:{queue.url_name('item')}", item_id)


@agent_required
@require_POST
def approve(request, queue: str, item_id: int):
    queue = _queue(queue)
    options = {}
    if queue.approve_form is not None:
        form = queue.approve_form(data=request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect(f"gestion:{queue.url_name('item')}", item_id)
        options = form.cleaned_data
    return _decide(
        request,
        queue,
        item_id,
        lambda: review.review_approve(
            kind=queue.kind, item_id=item_id, agent=request.user, ip=client_ip(request), **options
        ),
        queue.approved,
    )


@agent_required
@require_POST
def refuse(request, queue: str, item_id: int):
    queue = _queue(queue)
    form = RejectForm(data=request.POST)
    if not form.is_valid():
        messages.error(request, queue.kind.reason_for)
        return redirect(f"gestion:{queue.url_name('item')}", item_id)
    return _decide(
        request,
        queue,
        item_id,
        lambda: review.review_refuse(
            kind=queue.kind,
            item_id=item_id,
            agent=request.user,
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        ),
        queue.refused,
    )


@agent_required
def document(request, queue: str, item_id: int):
    queue = _queue(queue)
    kind = queue.kind
    item = kind.model.objects.filter(pk=item_id).exclude(**{kind.document_field: ""}).first()
    if item is None:
        raise Http404
    review.review_document_opened(kind=kind, item=item, agent=request.user, ip=client_ip(request))
    storage_name = getattr(item, kind.document_field)
    reference = queue.reference(item) if hasattr(item, "reference") else f"proof-{item.pk}"
    return uploaded_file_response(
        storage_name,
        filename=f"{reference}.{storage_name.rsplit('.', 1)[-1]}",
        content_type=getattr(item, kind.content_type_field),
    )
