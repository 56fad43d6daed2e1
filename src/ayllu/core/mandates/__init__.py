"""Mandates and recall: the assembly's positions, its delegates' acts, recall by petition."""
