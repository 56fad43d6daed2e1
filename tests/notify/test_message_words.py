"""A message names a built-in cargo in the member's language (the word tables `web` and `notify` share,
ayllu.words); a cargo the assembly created keeps its own name."""

from ayllu.notify.messages import render_message
from ayllu.queries.notifications import ShownReminder


def ending(cargo: str) -> ShownReminder:
    return ShownReminder(f"term-ending:{cargo}:1", "term_ending", 1_767_225_600_000, 0, cargo, "")


def test_a_built_in_cargo_is_named_in_the_members_language(db: None) -> None:
    # when a term of the convenor's and one of the assembly's own "tesoreria" end
    spanish = render_message(
        [ending("convenor")], log="a" * 64, assembly="Junta", language="es", utc_offset=-240
    )
    english = render_message(
        [ending("convenor")], log="a" * 64, assembly="Junta", language="en", utc_offset=-240
    )
    own = render_message(
        [ending("tesoreria")], log="a" * 64, assembly="Junta", language="es", utc_offset=-240
    )
    # then the built-in cargo has its word in each language, and the assembly's keeps its own name
    assert "convocante" in spanish.subject and "convenor" not in spanish.subject
    assert english.subject == "Junta: Your term as convenor ends soon"
    assert "tesoreria" in own.subject  # its code read as words, lowercase as the built-in words


def test_a_recall_vote_closing_names_the_cargo_not_a_title(db: None) -> None:
    # given a recall vote on the convenor closing soon (its reminder carries the cargo, no title)
    closing = ShownReminder("question-closing:9", "question_closing", 1_767_225_600_000, 7, "convenor", "")
    # when its message is written in English and Spanish
    english = render_message([closing], log="a" * 64, assembly="Junta", language="en", utc_offset=-240)
    spanish = render_message([closing], log="a" * 64, assembly="Junta", language="es", utc_offset=-240)
    # then it says which cargo's recall closes, in each language
    assert english.subject == "Junta: A vote to recall the holder of convenor closes soon"
    assert spanish.subject == (
        "Junta: La votación para revocar a quien tiene el cargo de convocante cierra pronto"
    )
