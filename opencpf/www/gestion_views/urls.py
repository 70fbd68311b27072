from django.urls import path

from opencpf.www.gestion_views import agents, audit, holders, home, identity, organisations, reports, support

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
    path("identites/", identity.queue, name="identity_checks"),
    path("identites/<int:check_id>/", identity.detail, name="identity_check"),
    path("identites/<int:check_id>/approuver/", identity.approve, name="identity_check_approve"),
    path("identites/<int:check_id>/rejeter/", identity.reject, name="identity_check_reject"),
    path("identites/<int:check_id>/document/", identity.document, name="identity_check_document"),
    path("situations/", identity.proofs, name="status_proofs"),
    path("situations/<int:proof_id>/approuver/", identity.proof_approve, name="status_proof_approve"),
    path("situations/<int:proof_id>/rejeter/", identity.proof_reject, name="status_proof_reject"),
    path("situations/<int:proof_id>/document/", identity.proof_document, name="status_proof_document"),
    path("acces-etranger/", identity.access_requests, name="access_requests"),
    path("acces-etranger/<int:request_id>/accorder/", identity.access_grant, name="access_grant"),
    path("acces-etranger/<int:request_id>/refuser/", identity.access_refuse, name="access_refuse"),
    path("acces-etranger/<int:request_id>/justificatif/", identity.access_proof, name="access_proof"),
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
