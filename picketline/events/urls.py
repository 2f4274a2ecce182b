from django.urls import path

from picketline.events import hosted_views, organise, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    # Actions supporters hold in their own countries
    path("hosted/", hosted_views.hosted_list, name="hosted_list"),
    path("hosted/propose/", hosted_views.propose, name="hosted_propose"),
    path("hosted/proposed/", hosted_views.proposed, name="hosted_proposed"),
    path("hosted/confirmed/", hosted_views.confirmed, name="hosted_confirmed"),
    path(
        "hosted/confirmed/already/",
        hosted_views.confirmed,
        {"newly": False},
        name="hosted_already_confirmed",
    ),
    path("hosted/report/<str:token>/", hosted_views.report, name="hosted_report"),
    path("hosted/report/<str:token>/write/", hosted_views.host_message, name="hosted_message"),
    path("hosted/photo/<int:pk>.jpg", hosted_views.photo, name="hosted_photo"),
    # A registrant's own pages (links from their e-mails)
    path("r/<str:token>/", views.mine, name="mine"),
    path("r/<str:token>/accept/", views.accept, name="accept"),
    path("r/<str:token>/cancel/", views.cancel, name="cancel"),
    path("r/<str:token>/calendar.ics", views.my_ics, name="my_ics"),
    # Organisers
    path("organise/hosted/", organise.hosted_queue, name="organise_hosted"),
    path("organise/hosted/<int:pk>/approve/", organise.hosted_approve, name="hosted_approve"),
    path("organise/hosted/<int:pk>/decline/", organise.hosted_decline, name="hosted_decline"),
    path("organise/hosted/reports/<int:pk>/", organise.report_moderate, name="report_moderate"),
    path("organise/<slug:slug>/", organise.registrants, name="organise"),
    path("organise/<slug:slug>/counts.json", organise.counts, name="counts"),
    path("organise/<slug:slug>/export.csv", organise.export_csv, name="export"),
    path("organise/<slug:slug>/check-in/", organise.check_in_desk, name="check_in_desk"),
    path("organise/<slug:slug>/check-in/scan/", organise.check_in_scan, name="check_in_scan"),
    path(
        "organise/<slug:slug>/check-in/code/<str:code>/",
        organise.check_in_code,
        name="check_in_code",
    ),
    path("organise/<slug:slug>/check-in/<int:pk>/", organise.check_in_person, name="check_in"),
    path(
        "organise/<slug:slug>/check-in/<int:pk>/undo/",
        organise.undo_check_in,
        name="undo_check_in",
    ),
    path("organise/<slug:slug>/message/", organise.message, name="message"),
    # One event
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/check-your-mail/", views.check_mail, name="check_mail"),
    path("<slug:slug>/card.png", views.card, name="card"),
    path("<slug:slug>/confirmed/", views.confirmed, name="confirmed"),
    path(
        "<slug:slug>/confirmed/already/",
        views.confirmed,
        {"newly": False},
        name="already_confirmed",
    ),
    path("<slug:slug>/calendar.ics", views.event_ics, name="ics"),
]
