"""Cargos: roles created by decision with enumerated powers, terms filled by turn, swaps, exemptions.

Kept free of imports here so `state.py` and the proposal effects can import its modules without a cycle.
"""
