"""The form that signs one act in the browser (static/web/js/act-form.js), written once for every page.

    {% act_form "objection.withdrawn" body.objection=o.id button=_("Withdraw it") quiet=True %}
      <p class="note">…</p>
    {% endact_form %}
    {% act_button "cargo.swap_accepted" body.swap=o.id button=_("Accept the swap") %}

The first word is the act's record type. `body.<field>=value` is a hidden field of the act's body (an
integer is sent as one); `body=json` is the whole body, when the page prepared it. `log` is the record the
act goes to and `key_log` the assembly whose device key signs it (the page's by default); `class` adds a
class to the form, `vis` is the entry's visibility ("public" by default), `next` the page to go to after it
(the page itself by default). `effect=True` makes a form that tables a proposal whose effect and title
cargos.js writes from the fields marked `data-ayllu-effect`, and goes to the new proposal's page once it
is recorded (instead of `next`). The button says `button`, quietly with `quiet=True`, in a paragraph of
actions with `actions=True`; what stands between `act_form` and `endact_form` goes before the button
(a form whose button's words change with the case leaves out `button` and writes its own there).
"""

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString

register = template.Library()

TEMPLATE = "web/assembly/includes/act_form.html"
BODY_FIELD = "body."
OPTIONS = {"body", "log", "key_log", "class", "vis", "next", "button", "quiet", "actions", "effect"}


class ActFormNode(template.Node):
    def __init__(
        self, act_type: FilterExpression, options: dict[str, FilterExpression], nodelist: NodeList | None
    ) -> None:
        self.act_type = act_type
        self.options = options
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        given = {name: value.resolve(context) for name, value in self.options.items()}
        fields = [
            {"name": name.removeprefix(BODY_FIELD), "value": value, "kind": _kind(value)}
            for name, value in given.items()
            if name.startswith(BODY_FIELD)
        ]
        shown = {
            "log": context.get("log"),
            "key_log": context.get("key_log", ""),
            "next": context.get("here", ""),
            "vis": "public",
            "body": "",
            "button": "",
            "quiet": False,
            "actions": False,
            "effect": False,
            "extra_class": "",
        }
        shown.update(
            ("extra_class" if name == "class" else name, value)
            for name, value in given.items()
            if not name.startswith(BODY_FIELD)
        )
        content = self.nodelist.render(context) if self.nodelist is not None else ""
        if context.template is None:
            raise template.TemplateSyntaxError("act_form renders only inside a template")
        form = context.template.engine.get_template(TEMPLATE)
        with context.push(type=self.act_type.resolve(context), fields=fields, content=content, **shown):
            return SafeString(form.render(context))


def _kind(value: Any) -> str:
    """How act-form.js reads the field back: an integer as one, anything else as the string it shows."""
    return "int" if isinstance(value, int) and not isinstance(value, bool) else ""


def _parse(parser: Parser, token: Token) -> tuple[FilterExpression, dict[str, FilterExpression]]:
    tag, *bits = token.split_contents()
    if not bits or "=" in bits[0].split('"')[0]:
        raise template.TemplateSyntaxError(f"{tag} needs the act's record type first")
    options = {}
    for bit in bits[1:]:
        name, equals, value = bit.partition("=")
        if not equals or not (name in OPTIONS or name.startswith(BODY_FIELD)):
            raise template.TemplateSyntaxError(f"{tag} does not take {bit!r}")
        options[name] = parser.compile_filter(value)
    return parser.compile_filter(bits[0]), options


@register.tag
def act_form(parser: Parser, token: Token) -> ActFormNode:
    """A signed act's form, with what stands before its button (see the module's docstring)."""
    act_type, options = _parse(parser, token)
    nodelist = parser.parse(("endact_form",))
    parser.delete_first_token()
    return ActFormNode(act_type, options, nodelist)


@register.tag
def act_button(parser: Parser, token: Token) -> ActFormNode:
    """A signed act's form that is only its button and hidden fields (see the module's docstring)."""
    act_type, options = _parse(parser, token)
    return ActFormNode(act_type, options, None)
