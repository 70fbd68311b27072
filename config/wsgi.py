import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["OPENCPF_SERVING"] = "1"  # a server is starting: production settings must be complete
application = get_wsgi_application()
