"""Proposals and their decision: tabling and deliberation, questions and ballots, outcomes and effects."""
