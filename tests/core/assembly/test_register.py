"""Reading a council's register of households (CSV) to invite each household: the edge cases of real
spreadsheets (a byte-order mark, semicolons, blank lines), and the lines that are refused or flagged."""

from ayllu.core.charter.register import MAX_BYTES, MAX_ROWS, check_register_lines, read_register


def problems(data: str, **kwargs: object) -> list[tuple[int, str, str, str]]:
    found = read_register(data.encode("utf-8"), **kwargs)  # type: ignore[arg-type]
    assert not found.problem, found.problem
    return [(line.line, line.name, line.problem, line.warning) for line in found.lines]


def test_a_spreadsheets_csv_with_a_bom_semicolons_and_blank_lines_is_read() -> None:
    # given the file as a spreadsheet saves it: a BOM, semicolons, Windows line ends, blank lines
    data = (
        "\ufeffNombre;Teléfono;Correo\r\n\r\n"
        "Familia Quispe;+591 700;q@example.org\r\n;;\r\nFamilia Apaza;;\r\n"
    )
    # when it is read
    found = read_register(data.encode("utf-8"))
    # then both households are there with their line in the file, and the contact columns are read
    assert [(line.line, line.name, line.phone, line.email) for line in found.lines] == [
        (3, "Familia Quispe", "+591 700", "q@example.org"),
        (5, "Familia Apaza", "", ""),
    ]
    assert len(found.invitable) == 2


def test_commas_and_quoted_names_with_commas() -> None:
    assert problems('name,phone\n"Mamani, Rosa",1\nCondori,\n') == [
        (2, "Mamani, Rosa", "", ""),
        (3, "Condori", "", ""),
    ]


def test_names_are_trimmed_and_put_in_nfc() -> None:
    # given a name with spaces around it and a decomposed accent
    found = read_register("name\n  Pe\u0301rez  \n".encode())
    # then it is the same name as typed composed
    assert found.lines[0].name == "Pérez"


def test_empty_names_control_characters_and_bidi_controls_are_refused() -> None:
    assert problems("name,phone\n,555\nCasa\x07Uno\nCasa\u202eDos\nCasa\u200bTres\n") == [
        (2, "", "empty_name", ""),
        (3, "Casa\x07Uno", "name_not_allowed", ""),
        (4, "Casa\u202eDos", "name_not_allowed", ""),
        (5, "Casa\u200bTres", "name_not_allowed", ""),
    ]


def test_duplicates_are_refused_and_look_alikes_flagged_within_the_file() -> None:
    # given the same name twice, and one written with a Cyrillic i (U+0456) and another in other case
    rows = problems("name\nQuispe\nQuispe\nQu\u0456spe\nQUISPE\nMamani\n")
    # then the second is refused and the look-alikes are flagged (kept: people decide)
    assert rows == [
        (2, "Quispe", "", ""),
        (3, "Quispe", "duplicate", ""),
        (4, "Qu\u0456spe", "", "looks_like_line"),
        (5, "QUISPE", "", "looks_like_line"),
        (6, "Mamani", "", ""),
    ]


def test_households_already_in_the_assembly_are_refused_and_their_look_alikes_flagged() -> None:
    rows = problems("name\nApaza\napaza\nChoque\n", existing=["Apaza", "casa-1"])
    assert rows == [
        (2, "Apaza", "exists", ""),
        (3, "apaza", "", "looks_like_existing"),
        (4, "Choque", "", ""),
    ]


def test_files_that_cannot_be_read_say_why() -> None:
    assert read_register(b"").problem == "empty"
    assert read_register(b"\n\n").problem == "empty"
    assert read_register(b"name\n\n").problem == "empty"
    assert read_register(b"familia,telefono\nQuispe,1\n").problem == "no_name_column"
    assert read_register("name\nPérez\n".encode("latin-1")).problem == "not_utf8"
    assert read_register(b"name\n" + b"x" * MAX_BYTES).problem == "too_large"


def test_too_many_rows_is_refused_whole() -> None:
    # given one household more than the limit
    data = "name\n" + "".join(f"Casa {i}\n" for i in range(MAX_ROWS + 1))
    # then the file is refused, and at the limit it is read
    assert read_register(data.encode()).problem == "too_many_rows"
    at_limit = "name\n" + "".join(f"Casa {i}\n" for i in range(MAX_ROWS))
    assert len(read_register(at_limit.encode()).invitable) == MAX_ROWS


def test_lines_sent_back_from_a_preview_are_checked_again() -> None:
    # given lines a preview showed, one edited to a duplicate on the way back
    found = check_register_lines([(2, "Quispe", "", ""), (3, "Quispe", "", ""), (4, "Apaza", "1", "")])
    # then the duplicate is refused again
    assert [line.problem for line in found.lines] == ["", "duplicate", ""]
    assert [line.name for line in found.invitable] == ["Quispe", "Apaza"]
