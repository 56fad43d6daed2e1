"""The API's one router: reads and writes share paths (GET and POST /assemblies/{log}/meetings), and
django-ninja merges the methods of a path only within one router."""

from ninja import Router

router = Router()
