"""Concentration: who holds, proposes and speaks how much, measured from the record."""
