from django.urls import path

from opencpf.www.support_views import tickets, views

app_name = "support"

urlpatterns = [
    path("", views.help_centre, name="help"),
    path("contact/", views.contact, name="contact"),
    path("contact/envoye/", views.contact_sent, name="contact_sent"),
    path("mes-demandes/", tickets.my_tickets, name="my_tickets"),
    path("mes-demandes/<str:reference>/", tickets.my_ticket, name="my_ticket"),
]
