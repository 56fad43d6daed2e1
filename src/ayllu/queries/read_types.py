"""The types of words inside a read model, as the reads answer them and as the API describes them.

A read answers every word as a `Said` (core/assembly/words.py) until `shown_to` turns it into what one
reader may see: the value, or null (the API), or the pages' "(members only)" mark. So a field that holds
words holds a `Said` or the shown value; the API's schema names only the shown value (a reader never
receives a `Said`).
"""

from collections.abc import Sequence

from pydantic.json_schema import SkipJsonSchema

from ayllu.core.assembly.words import Said

# A text someone said (null where it is withheld from the reader or was erased).
Words = str | None | SkipJsonSchema[Said]
# A list of texts someone said (a proposal's options), withheld as a whole.
WordList = Sequence[str] | None | SkipJsonSchema[Said]
# A ballot's choice (an option or a position; a list of options for approval and ranked ballots).
Choice = str | Sequence[str] | None | SkipJsonSchema[Said]
