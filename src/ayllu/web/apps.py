from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ayllu.web"
    label = "ayllu_web"
