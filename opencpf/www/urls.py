from django.urls import path

from opencpf.www.pages_views import views

app_name = "www"

urlpatterns = [
    path("", views.home, name="home"),
    path("mon-compte/", views.dashboard, name="dashboard"),
    path("mentions-legales/", views.legal, name="legal"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("plan-du-site/", views.site_map, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap_xml"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("favicon.ico", views.favicon, name="favicon"),
]
