"""Two tiny pages that prove the harness notices what it must."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def clean(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        '<!doctype html><html lang="en"><title>clean</title>'
        '<link rel="stylesheet" href="/static/web/site.css">'
        '<script src="/static/web/site.js" defer></script><h1>Clean</h1>'
    )


def leaky(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        '<!doctype html><html lang="en"><title>leaky</title>'
        '<h1 style="color: red">Leaky</h1><img alt="" src="https://tracker.example/pixel.gif">'
    )


urlpatterns = [path("clean/", clean), path("leaky/", leaky)]
