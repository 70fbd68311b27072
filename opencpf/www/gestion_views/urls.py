from django.urls import path

from opencpf.www.gestion_views import agents, audit, holders, home, organisations, reports, review, support
from opencpf.www.gestion_views.review_queues import QUEUES


def review_paths(prefix: str, queue: str, *, approve: str, refuse: str, document: str) -> list:
    kwargs, name = {"queue": queue}, QUEUES[queue].url_name
    return [
        path(f"{prefix}/", review.queue_page, kwargs, name=name("queue")),
        path(f"{prefix}/<int:item_id>/", review.item_page, kwargs, name=name("item")),
        path(f"{prefix}/<int:item_id>/{approve}/", review.approve, kwargs, name=name("approve")),
        path(f"{prefix}/<int:item_id>/{refuse}/", review.refuse, kwargs, name=name("refuse")),
        path(f"{prefix}/<int:item_id>/{document}/", review.document, kwargs, name=name("document")),
    ]


app_name = "gestion"

urlpatterns = [
    path("", home.home, name="home"),
    path("signalements/", reports.queue, name="reports"),
    path("signalements/<int:report_id>/", reports.detail, name="report"),
    path("signalements/<int:report_id>/examiner/", reports.start_review, name="report_review"),
    path("signalements/<int:report_id>/question/", reports.ask_info, name="report_ask_info"),
    path("signalements/<int:report_id>/confirmer/", reports.confirm, name="report_confirm"),
    path("signalements/<int:report_id>/rejeter/", reports.reject, name="report_reject"),
    path("signalements/<int:report_id>/preuves/<int:evidence_id>/", reports.evidence, name="report_evidence"),
    *review_paths("identites", "identity_check", approve="approuver", refuse="rejeter", document="document"),
    *review_paths("situations", "status_proof", approve="approuver", refuse="rejeter", document="document"),
    *review_paths("acces-etranger", "access_request", approve="accorder", refuse="refuser", document="justificatif"),
    path("organismes/", organisations.organisations, name="organisations"),
    path("organismes/<int:organisation_id>/", organisations.organisation, name="organisation"),
    path("organismes/<int:organisation_id>/approuver/", organisations.approve, name="organisation_approve"),
    path(
        "organismes/<int:organisation_id>/sanctions/<int:sanction_id>/lever/",
        organisations.lift,
        name="sanction_lift",
    ),
    path("titulaires/", holders.search, name="holders"),
    path("titulaires/<int:holder_id>/", holders.holder, name="holder"),
    path("titulaires/<int:holder_id>/verrouiller/", holders.lock, name="holder_lock"),
    path("titulaires/<int:holder_id>/deverrouiller/", holders.unlock, name="holder_unlock"),
    path("audit/", audit.audit, name="audit"),
    path("audit.csv", audit.audit_csv, name="audit_csv"),
    path("agents/", agents.agents, name="agents"),
    path("assistance/", support.queue, name="tickets"),
    path("assistance/<int:ticket_id>/", support.detail, name="ticket"),
    path("assistance/<int:ticket_id>/repondu/", support.answered, name="ticket_answered"),
    path("assistance/<int:ticket_id>/cloturer/", support.close, name="ticket_close"),
]
