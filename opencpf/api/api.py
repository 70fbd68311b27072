from ninja import NinjaAPI

from opencpf.api import (
    accounts,
    advisors,
    agent,
    auth,
    catalogue,
    dossiers,
    funders,
    idempotency,
    identity,
    links,
    organisation,
    organisation_bank,
    organisation_files,
    rights,
    scams,
    security,
)
from opencpf.api.errors import install_error_handlers
from opencpf.api.parsing import StrictParser


class OpenCpfApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return links.document(auth.document(idempotency.document(schema)))


api = OpenCpfApi(
    title="OpenCPF API",
    version="1",
    description="Personal training accounts (CPF). Money is a decimal string, dates ISO 8601.",
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    parser=StrictParser(),
)
install_error_handlers(api)
api.add_router("", accounts.router)
api.add_router("", security.router)
api.add_router("", rights.router)
api.add_router("", catalogue.router)
api.add_router("", dossiers.router)
api.add_router("", scams.router)
api.add_router("", agent.router)
api.add_router("", advisors.router)
api.add_router("", funders.router)
api.add_router("", identity.router)
api.add_router("", organisation.router)
api.add_router("", organisation_files.router)
api.add_router("", organisation_bank.router)
idempotency.read_schema_from(api.get_openapi_schema)
