from django.urls import path

from picketline.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.index, name="index"),
    path("paper/<str:token>/", views.letter_pdf, name="letter_pdf"),
    path("reply/<str:token>/", views.reply_answer, name="reply_answer"),
    path("organisers/letter/<int:letter_id>.pdf", views.organiser_letter_pdf, name="organiser_pdf"),
    path(
        "organisers/<int:action_id>/to/<int:target_id>.pdf",
        views.target_bundle_pdf,
        name="target_bundle_pdf",
    ),
    path("<slug:slug>/", views.action_page, name="action"),
    path("<slug:slug>/count-me/", views.count_support, name="count_support"),
    path("<slug:slug>/card.png", views.card, name="card"),
    path("<slug:slug>/confirmed/", views.confirmed, name="confirmed"),
    path(
        "<slug:slug>/confirmed/already/",
        views.confirmed,
        {"newly": False},
        name="already_confirmed",
    ),
]
