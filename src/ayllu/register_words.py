"""Words for a council's register of households as it was read (`core.charter.register`,
`ayllu.register_files`): why a file cannot be read at all, and what is wrong with one line or what to look
at. The invitations page and the API's register check say the same, in the asker's language."""

from django.utils.translation import gettext as _

from ayllu.core.charter.register import MAX_ROWS, Register, RegisterLine


def file_problem(register: Register) -> str:
    """Why a register could not be read at all, in words (the page's 400 and the API's `problem_message`)."""
    detail = register.detail
    messages = {
        "not_utf8": _("The file is not in UTF-8. Save it again as CSV UTF-8 and upload it."),
        "too_large": _("The file is too large (at most %(kb)s KB).") % {"kb": detail.get("limit", 0) // 1024},
        "empty": _("The file has no households: a header row and one household per line are needed."),
        "no_name_column": _("The first row must name the columns, and one of them must be name (or nombre)."),
        "too_many_rows": _("The file has more than %(limit)s households; split it in parts.")
        % {"limit": detail.get("limit", MAX_ROWS)},
        "not_csv": _("Line %(line)s cannot be read as CSV.") % {"line": detail.get("line", 0)},
        "not_spreadsheet": _(
            "The file cannot be read as a spreadsheet. Open it in your spreadsheet program and save it "
            "again as .xlsx, .ods or CSV."
        ),
        "old_xls": _(
            "The file is in the old Excel format (.xls) or protected by a password. Save it as .xlsx, "
            ".ods or CSV, without a password, and upload it."
        ),
    }
    if register.sheet and register.problem == "no_name_column":
        return _(
            "No sheet of the file has a row naming the columns with name (or nombre) among them, near "
            "its top."
        )
    return messages.get(register.problem, register.problem)


def line_message(line: RegisterLine) -> str:
    """What is wrong with one line, or what to look at, in words ("" for a good line)."""
    messages = {
        "empty_name": _("The name is empty."),
        "name_not_allowed": _(
            "The name holds a character that is not allowed (control or invisible characters)."
        ),
        "too_long": _("The name is too long (at most 64 characters)."),
        "duplicate": _("The same name is on an earlier line."),
        "exists": _("A household of the assembly already has this name."),
        "looks_like_line": _("Looks like %(name)s, on an earlier line: is it the same household?"),
        "looks_like_existing": _("Looks like the household %(name)s, already in the assembly."),
        "formula_not_computed": _(
            "The name is a formula the spreadsheet has not calculated. Open the file in your spreadsheet "
            "program, save it and upload it again."
        ),
        "date_as_name": _("The name is a date: check that the columns are in their place."),
        "merged": _("The name cell is merged with line %(name)s: it is the same household."),
        "merged_across": _("The name cell is merged with another cell: write the name in its own cell."),
    }
    code = line.problem or line.warning
    if code == "merged" and not line.like:
        code = "merged_across"
    return messages[code] % {"name": line.like} if code else ""
