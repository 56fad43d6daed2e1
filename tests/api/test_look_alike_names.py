"""Look-alike and invisible names: a new household must be a clean name (NFC, one line, nothing
invisible) and must not look like an existing household it is not (docs/charter.md, "Texts and names")."""

import pytest

from ayllu.core.assembly.texts import skeleton
from ayllu.core.charter.households import new_household_id
from factories.api import ApiAssembly


@pytest.fixture
def with_jose(assembly: ApiAssembly) -> ApiAssembly:
    """The API assembly, with carla moved into household "josé" (NFC)."""
    assembly.ok("carla", "register-household", household="jos\u00e9")
    return assembly


@pytest.mark.parametrize(
    ("household", "reason"),
    [
        ("jose\u0301", "not_nfc"),  # NFD josé
        ("jo\u200bsé", "format"),  # zero-width space
        ("\u202ejosé", "bidi_control"),  # right-to-left override
        ("josé\n", "control"),
        ("josé\x00", "control"),
        (" josé", "untrimmed"),
        ("\u200b", "format"),
        ("\u3164", "empty_looking"),  # Hangul filler: a letter by category, default-ignorable to TR 39
    ],
    ids=["nfd", "zero-width", "bidi-override", "newline", "nul", "untrimmed", "invisible", "filler"],
)
def test_an_unclean_household_name_is_refused_and_nothing_written(
    with_jose: ApiAssembly, household: str, reason: str
) -> None:
    # given
    size = with_jose.size()
    # when a newcomer applies naming it
    answer = with_jose.act("zoe", "apply", lang="en", household=household)
    # then
    data = answer.json()
    assert (answer.status_code, data["code"], data["detail"]["reason"]) == (400, "text_not_allowed", reason)
    assert "household" in data["message"]
    assert with_jose.size() == size


@pytest.mark.parametrize(
    "household",
    # upper case, Cyrillic o, fullwidth letters, Armenian o, Cherokee J and Cyrillic s (beyond the small
    # hand-made table used before TR 39's data), an invisible Hangul filler inside
    [
        "JOSÉ",
        "j\u043es\u00e9",
        "\uff4a\uff4f\uff53\u00e9",
        "j\u0585s\u00e9",
        "\u13abO\u0405\u00c9",
        "jos\u3164é",
    ],
    ids=["case", "cyrillic-o", "fullwidth", "armenian-o", "cherokee-j", "hangul-filler"],
)
def test_a_household_that_looks_like_an_existing_one_is_refused(
    with_jose: ApiAssembly, household: str
) -> None:
    # given
    size = with_jose.size()
    # when
    answer = with_jose.act("zoe", "apply", lang="es", household=household)
    # then
    data = answer.json()
    assert (answer.status_code, data["code"]) == (409, "name_looks_alike")
    assert (data["detail"]["name"], data["detail"]["existing"]) == (household, "josé")
    assert "se parece a josé" in data["message"]
    assert with_jose.size() == size


def test_joining_the_existing_household_by_its_own_name_is_accepted(with_jose: ApiAssembly) -> None:
    # when
    answer = with_jose.act("zoe", "apply", household="josé")
    # then: accepted, to wait for a member to take it in
    assert answer.status_code == 202


def test_fullwidth_digits_look_like_ascii_ones(assembly: ApiAssembly) -> None:
    # given
    assembly.ok("carla", "register-household", household="casa 12")
    # when
    answer = assembly.act("zoe", "apply", household="casa \uff11\uff12")
    # then
    assert (answer.status_code, answer.json()["code"]) == (409, "name_looks_alike")


def test_skeletons_fold_what_looks_the_same_and_keep_what_differs() -> None:
    assert skeleton("Junta Vecinal  Villa Esperanza") == skeleton("junta vecin\u0430l villa esperanza")
    assert skeleton("jose\u0301") == skeleton("jos\u00e9")
    assert skeleton("josé") != skeleton("jose")
    # TR 39's full confusables data (ICU), not a hand-made table
    assert skeleton("Rodrigo") == skeleton("Rodrig\u0585")  # Armenian o
    assert skeleton("Mamani") == skeleton("rnarnani")  # "rn" reads as "m"
    assert skeleton("Olga 10") == skeleton("0lga lO")  # digits that read as letters, whatever their case
    assert skeleton("\U0001d40c\U0001d41a\U0001d42b\U0001d422\U0001d41a") == skeleton(
        "María".replace("í", "i")
    )
    assert skeleton("Quispe") != skeleton("Quispé")


def test_a_new_households_name_written_as_words_may_not_look_like_an_existing_name(
    assembly: ApiAssembly,
) -> None:
    # given carla's new household, named by an opaque id with its name as words (format 2)
    assembly.ok("carla", "register-household", household=new_household_id(), household_name="casa 12")
    size = assembly.size()
    # when zoe applies into another new household whose name looks like it
    answer = assembly.act("zoe", "apply", household=new_household_id(), household_name="CASA \uff11\uff12")
    # then the name is refused like a household id would be, and nothing is written
    data = answer.json()
    assert (answer.status_code, data["code"]) == (409, "name_looks_alike")
    assert (data["detail"]["name"], data["detail"]["existing"]) == ("CASA \uff11\uff12", "casa 12")
    assert assembly.size() == size
