from django.contrib import admin
from django.urls import path

from picketline.dashboard import views

app_name = "dashboard"
# Under /admin/, before the admin's own patterns; admin_view lets in verified staff only.
urlpatterns = [
    path("dashboard/", admin.site.admin_view(views.dashboard), name="figures"),
    path("dashboard/<slug:name>.csv", admin.site.admin_view(views.figure_csv), name="csv"),
    path("moderation/", admin.site.admin_view(views.moderation_queue), name="moderation"),
]
