from ninja import NinjaAPI

from opencpf.api import accounts, advisors, catalogue, dossiers, rights
from opencpf.api.errors import install_error_handlers

api = NinjaAPI(
    title="OpenCPF API",
    version="1",
    description="Personal training accounts (CPF). Money is a decimal string, dates ISO 8601.",
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
)
install_error_handlers(api)
api.add_router("", accounts.router)
api.add_router("", rights.router)
api.add_router("", catalogue.router)
api.add_router("", dossiers.router)
api.add_router("", advisors.router)
