from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "ayllu.storage"
    label = "ayllu_storage"
    default_auto_field = "django.db.models.BigAutoField"
