from django.urls import path, re_path

from picketline.registers import views

app_name = "registers"

urlpatterns = [
    path("", views.people, name="people"),
    path("people/<slug:slug>/", views.person, name="person"),
    path("people/<slug:slug>/photo", views.person_photo, name="person_photo"),
    path("writing-to-prisoners/", views.guidance, name="guidance"),
    path("companies/", views.companies, name="companies"),
    path("companies/<slug:slug>/", views.company, name="company"),
    path("open-data/", views.open_data, name="open_data"),
    re_path(
        r"^open-data/(?P<register>people|companies)\.(?P<fmt>csv|json)$",
        views.download,
        name="download",
    ),
]
