from django.urls import path

from picketline.supporters import views

app_name = "supporters"

urlpatterns = [
    path("keep-me-informed/", views.subscribe, name="subscribe"),
    path("keep-me-informed/challenge/", views.pow_challenge, name="pow_challenge"),
    path("check-your-mail/", views.check_mail, name="check_mail"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("confirmed/", views.confirmed, name="confirmed"),
    path("confirmed/already/", views.confirmed, {"already": True}, name="already_confirmed"),
    path("not-me/<str:token>/", views.reject, name="reject"),
    path("resend/", views.resend, name="resend"),
    path("count-me/", views.count_support, name="count_support"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/open/<str:token>/", views.privacy_open, name="privacy_open"),
    path("privacy/mine/", views.mine, name="mine"),
    path("privacy/mine/my-data.json", views.export, name="export"),
    path("privacy/mine/consents/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path("privacy/mine/erase/", views.erase, name="erase"),
    path("privacy/mine/leave/", views.leave, name="leave"),
]
