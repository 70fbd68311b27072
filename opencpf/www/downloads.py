"""One way to hand an uploaded document (evidence, ID document, proof) to the agent who may see it."""

from django.http import FileResponse

from opencpf.scams.evidence import evidence_path


def uploaded_file_response(storage_name: str, *, filename: str, content_type: str) -> FileResponse:
    """A download, never rendered inline nor cached: the type was sniffed at upload and is not to be re-guessed."""
    response = FileResponse(
        open(evidence_path(storage_name), "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
