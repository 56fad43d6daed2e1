"""Spanish as written in Bolivia: a point groups thousands (1.234), a comma marks decimals.

Django's generic Spanish groups with a non-breaking space, as the RAE recommends; our readers in El Alto
and elsewhere in the Andes expect the point. Every other format falls back to Django's Spanish.
"""

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
