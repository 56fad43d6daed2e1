"""Notifications: reminders from the record and the clock, delivered to members through channels.

An interface beside the web pages and the API: it reads through `ayllu.queries`, writes the outbox
through `ayllu.actions`, and renders messages in each member's language. `channels` holds the channel
interface and the e-mail channel; `delivery` the loop `ayllu deliver` and `ayllu serve` run.
See docs/notifications.md and decision 0014.
"""
