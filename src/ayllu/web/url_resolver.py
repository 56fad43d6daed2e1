"""The pages' URL resolver with its answers remembered: resolving a page's URL is done once per language
and path.

Resolving `/es/asamblea/<log>/` walks four levels of Django's resolvers (the language prefix, the
included page patterns, the translated routes), building a match at each: about 28 us against 5 us for
a plain route at the top (issue 5: a fifth of a kept page's CPU). What it answers depends only on the
path, the active language (the prefix and the translated routes are the language's) and the URL
patterns, which do not change while the process runs (the converters used are Django's own, pure). So a
match found is remembered per (language, path); a path that matches nothing is not remembered (each
404 resolves again). The remembered match is the inner one: the URLconf's own resolver builds a new
match around it for every request (new argument dicts), so no request shares what a view could change.
At most `MEMO_SIZE` paths are remembered (every assembly has its own paths), all dropped when full and
when settings change (tests).
"""

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import URLResolver
from django.urls.resolvers import ResolverMatch
from django.utils import translation

MEMO_SIZE = 4096
_resolvers: list["RememberingResolver"] = []


class RememberingResolver(URLResolver):
    """A URLResolver that remembers each match per active language and path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._remembered: dict[tuple[str, str], ResolverMatch] = {}
        _resolvers.append(self)

    def resolve(self, path: Any) -> ResolverMatch:
        key = (translation.get_language() or "", str(path))
        found = self._remembered.get(key)
        if found is None:
            found = super().resolve(path)  # raises Resolver404 for a path that matches nothing
            if len(self._remembered) >= MEMO_SIZE:
                self._remembered.clear()
            self._remembered[key] = found
        return found

    def forget(self) -> None:
        self._remembered.clear()


def remembering(resolvers: list[Any]) -> list[Any]:
    """The resolvers of `resolvers` (as `i18n_patterns` gives them) as RememberingResolvers."""
    return [
        RememberingResolver(r.pattern, r.urlconf_name, r.default_kwargs, r.app_name, r.namespace)
        if isinstance(r, URLResolver)
        else r
        for r in resolvers
    ]


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    """Languages, URLconfs or translations changed by a test: resolve everything again."""
    for resolver in _resolvers:
        resolver.forget()
