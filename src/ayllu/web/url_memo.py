"""`{% url %}` with its answers remembered: a template builtin (settings TEMPLATES "builtins") that
takes the place of Django's tag in every template, with the same syntax and the same output.

Reversing a URL cost about 30 us, and a page has a score of them (the assembly's home page has 19, most
the same on every request: the navigation, the forms' actions); rendering a page that is not kept
(web/page_cache.py) spent a fifth of its time there. The answer depends only on what the key holds: the
URLconf in use, the script prefix, the language (the URL words and prefix are translated), the view's
name, its arguments and the current application namespace. At most `MEMO_SIZE` answers are kept
(all forgotten at once when full, and whenever settings change). Anything unusual (an argument that
cannot be a key, a URL that does not reverse) goes to Django's own tag, unchanged.
"""

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Library, Node
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

MEMO_SIZE = 8192
_answers: dict[tuple[Any, ...], str] = {}

register = Library()


@receiver(setting_changed)
def _forget(**kwargs: Any) -> None:
    """Tests that change the URLconf or languages start afresh."""
    _answers.clear()


def forget_urls() -> None:
    _answers.clear()


def remembered_reverse(
    view_name: str,
    *,
    args: tuple[Any, ...] = (),
    kwargs: tuple[tuple[str, Any], ...] = (),
    current_app: str | None = None,
) -> str:
    """`reverse()` in the current language, remembered (`kwargs` as sorted pairs). Raises what
    `reverse()` raises, and TypeError for an argument that cannot be a key."""
    key = (get_urlconf(), get_script_prefix(), get_language(), view_name, args, kwargs, current_app)
    url = _answers.get(key)
    if url is None:
        url = reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
        if len(_answers) >= MEMO_SIZE:
            _answers.clear()
        _answers[key] = url
    return url


class RememberedURLNode(URLNode):
    """Django's URLNode, answering from what it reversed before when everything the answer depends on
    is the same."""

    def render(self, context: Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((name, value.resolve(context)) for name, value in self.kwargs.items()))
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        try:
            url = remembered_reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except Exception:  # an argument that cannot be a key, a failure: Django's tag renders it
            return str(super().render(context))
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> Node:
    """Django's `{% url %}`, parsed by Django; its answers remembered (see the module's docstring)."""
    node = django_url(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
