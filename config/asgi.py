import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["OPENCPF_SERVING"] = "1"  # a server is starting: production settings must be complete
application = get_asgi_application()
