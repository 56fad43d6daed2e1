"""Words for codes that both the pages (`web`) and the messages (`notify`) show, so neither imports the
other: the cargos every charter names. A cargo an assembly created is named by its own code, which the
assembly chose (rule data, public), read as words; only the built-in ones have a word in each language.
"""

from collections.abc import Mapping
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CARGOS: dict[str, Promise] = {
    "convenor": _("convenor"),
    "minute_keeper": _("minute-keeper"),
}


def office_name(office: str) -> str:
    """A cargo or federation office an assembly named, as people read it. Its id is an ASCII identifier
    (`vocero_distrital`): spaces for its underscores ("vocero distrital").

    Written in lowercase, as the built-in cargos' words are ("convocante", "convenor"): the name of a
    cargo is a common noun, which Spanish (RAE) and English write in lowercase in running text ("el
    cargo de tesorero", "the office of treasurer"). A page that shows a name alone, as a title or an
    option, capitalises its first letter (`capfirst`), whichever kind of cargo it names."""
    return " ".join(office.replace("_", " ").split())


def cargo_name(code: str) -> str:
    """The cargo's name in the active language: the word for a built-in one, else its own code read as
    words (`office_name`)."""
    found = CARGOS.get(code)
    return office_name(code) if found is None else str(found)


def table_word(tables: Mapping[str, Mapping[str, Promise]], table: str, code: str) -> str:
    """The word for `code` in `tables[table]`, in the active language; the code itself where it has none.
    A cargo's word is its name (`cargo_name`), so a cargo an assembly created reads as words too."""
    if table == "cargo":
        return cargo_name(code)
    found = tables[table].get(code)
    return code if found is None else str(found)


# A plenary's meeting carries this code as its title in the record (record data, never translated
# there); pages, calendars and feeds show it in the reader's language.
T = TypeVar("T")
PLENARY_WORDS: Promise = _("Federation plenary")


def meeting_title(title: T, *, plenary: bool) -> T | str:
    """A meeting's title as a reader sees it: a federation plenary's (`plenary`, from its read model) in
    the active language, any other title (or a withheld mark) as it is, "plenary" included."""
    return str(PLENARY_WORDS) if plenary else title
