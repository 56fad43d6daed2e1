"""core/assembly/words.py: a word is shown to a reader only when every act that wrote it is readable to
them."""

from dataclasses import dataclass
from typing import Any

import pytest

from ayllu.core.assembly.words import MEMBERS_ONLY, ReadModel, said, shown_to


@dataclass(frozen=True, slots=True)
class Ballots(ReadModel):
    id: int
    ballots: dict[str, Any]
    objections: tuple[dict[str, Any], ...] = ()
    members_only: bool = False


def test_a_word_is_withheld_when_any_act_that_wrote_it_is_hidden() -> None:
    # given an object whose words come from three acts, one of them hidden from the reader
    read = {
        "id": 5,
        "title": said("Agua", 5),
        "answer": said("Por turnos", 9),
        "counts": said({"yes": 2}, 5, 11),
        MEMBERS_ONLY: False,
    }
    # when it is shown to that reader
    shown = shown_to(read, frozenset({11}), withheld="-")
    # then only the word written by the hidden act is withheld, and the object says so
    assert shown == {"id": 5, "title": "Agua", "answer": "Por turnos", "counts": "-", MEMBERS_ONLY: True}


def test_the_mark_goes_to_the_nearest_object_and_not_above_it() -> None:
    # given a proposal (an object) holding objections (objects) in a list
    read = {
        "title": said("Agua", 2),
        "objections": [{"reason": said("Caro", 3), MEMBERS_ONLY: False}],
        MEMBERS_ONLY: False,
    }
    # when the objection's act is hidden
    shown = shown_to(read, frozenset({3}))
    # then the objection is marked, the proposal is not
    assert shown["objections"] == [{"reason": None, MEMBERS_ONLY: True}]
    assert (shown["title"], shown[MEMBERS_ONLY]) == ("Agua", False)


def test_nested_words_and_seq_zero_and_the_input_is_not_changed() -> None:
    # given an outcome said by a proposal, holding tallies said by ballots, and a word of no act (seq 0)
    tallies = said({"yes": 1}, 7)
    read = {"outcome": said({"result": "passed", "tallies": tallies}, 2), "ruling": said("", 0)}
    # when shown to a reader who may not read ballot 7
    shown = shown_to(read, frozenset({7}))
    # then the outcome is shown without its tallies, the empty ruling is shown, and `read` still holds Saids
    assert shown == {"outcome": {"result": "passed", "tallies": None}, "ruling": ""}
    assert read["outcome"].value["tallies"] is tallies


def test_a_word_that_skipped_shown_to_cannot_be_printed() -> None:
    # given a word as a read returns it
    word = said("Deuda de la casa 4", 3)
    # when something tries to print it, then it refuses instead of leaking
    with pytest.raises(TypeError):
        str(word)
    with pytest.raises(TypeError):
        f"{word}"


def test_a_read_model_is_walked_like_an_object_and_answered_as_a_new_one() -> None:
    # given a frozen read model whose ballots come from two acts, holding an object of its own
    read = Ballots(
        id=4,
        ballots={"ana": said("si", 8), "bea": said("no", 9)},
        objections=({"reason": said("Caro", 9), MEMBERS_ONLY: False},),
    )
    # when it is shown to a reader who may not read act 9
    shown = shown_to(read, frozenset({9}))
    # then it is a new one of its class: the hidden words are withheld and the nearest objects say so
    assert shown == Ballots(
        id=4,
        ballots={"ana": "si", "bea": None},
        objections=({"reason": None, MEMBERS_ONLY: True},),
        members_only=True,
    )
    assert read.ballots["ana"] == said("si", 8) and read.members_only is False
