"""Domain error codes become translated sentences in one place."""

from django.utils import translation

import ayllu.core.assembly.rule_errors
import ayllu.core.cargos.errors
import ayllu.core.cargos.rotation.errors
import ayllu.core.concentration.measures
import ayllu.core.errors
import ayllu.core.proposals.methods.errors
import ayllu.core.sortition.errors
import ayllu.storage.errors
from ayllu.core.charter.plain import MESSAGE_IDS
from ayllu.core.charter.rules import MATTERS, OPTIONAL_MATTERS
from ayllu.core.errors import DomainError
from ayllu.messages import CHARTER_TEXT, CHARTER_WORDS, CONCENTRATION_ALERTS
from ayllu.web.errors import MESSAGES, message_for


def all_codes(*modules: object) -> set[str]:
    """Every `code` of a DomainError subclass defined in the given modules."""
    names = {m.__name__ for m in modules}  # type: ignore[attr-defined]
    found = set()
    pending = [DomainError]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__ in names:
            found.add(cls.code)
    return found


def test_every_domain_error_code_has_a_message() -> None:
    # given: the codes of the record, the assembly's rules, the decision methods, storage, and issue 4's
    # cargos, mandates, recall and draws, turn order, sortition and concentration
    modules = (
        ayllu.core.errors,
        ayllu.core.assembly.rule_errors,
        ayllu.core.proposals.methods.errors,
        ayllu.storage.errors,
        ayllu.core.cargos.errors,
        ayllu.core.cargos.rotation.errors,
        ayllu.core.sortition.errors,
        ayllu.core.concentration.measures,
    )
    codes = all_codes(*modules)
    # then
    assert len(codes) > 100
    assert codes - set(MESSAGES) == set()


def test_every_charter_message_matter_and_concentration_alert_has_words() -> None:
    # given
    alerts = {
        ayllu.core.concentration.measures.GINI_ABOVE,
        ayllu.core.concentration.measures.TOP_DECILE_ABOVE,
        ayllu.core.concentration.measures.SINGLE_SHARE_ABOVE,
        ayllu.core.concentration.measures.BREADTH_BELOW,
    }
    # then
    assert set(MESSAGE_IDS) - set(CHARTER_TEXT) == set()
    assert {*MATTERS, *OPTIONAL_MATTERS} - set(CHARTER_WORDS) == set()
    assert alerts - set(CONCENTRATION_ALERTS) == set()


def test_message_is_in_the_active_language() -> None:
    # when
    with translation.override("es"):
        spanish = message_for("broken_chain", {"seq": 4})
    with translation.override("en"):
        english = message_for("broken_chain", {"seq": 4})
    # then
    assert spanish == "La entrada no está enlazada con la anterior: la historia fue modificada."
    assert english == "The entry is not linked to the one before it: the history was changed."


def test_unknown_code_still_gives_a_sentence_naming_the_code() -> None:
    # when
    with translation.override("es"):
        message = message_for("no_such_code", {})
    # then
    assert message == "Algo salió mal (código no_such_code)."


def test_missing_detail_value_shows_a_question_mark(monkeypatch) -> None:
    # given: a message that names a detail value the caller did not pass
    monkeypatch.setitem(MESSAGES, "seq_gap", "Entry %(seq)s is missing.")
    # when
    message = message_for("seq_gap", {})
    # then
    assert message == "Entry ? is missing."
