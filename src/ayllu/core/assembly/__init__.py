"""The assembly's state and replay: what every subject's rules read and change."""
