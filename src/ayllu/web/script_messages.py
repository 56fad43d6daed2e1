"""The sentences the pages' scripts show, by the page (or part of one) that carries them.

A page writes its set with `{% script_messages "login" %}`: a hidden block (`data-ayllu-messages`, or the
marker its script looks in) of one `<span data-msg="code">` a sentence, which static/web/js/messages.js
and its siblings read by code, as the pages carry no inline script. A sentence several pages say (the node
could not be reached, the browser keeps no keys) is written once here.
"""

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES = "data-ayllu-messages"

NETWORK = _("The node could not be reached. Check the connection and try again.")
NO_STORAGE = _("This browser does not let the page keep a key (private mode or storage turned off).")
CANNOT_CREATE_KEYS = _(
    "This browser cannot create keys. Open this page in an up-to-date browser, at an address starting "
    "with https."
)
NO_KEY = _("This device has no key for this assembly. Set it up first.")
LOGGING_IN = _("Logging in with this device's key…")
CREATING_THE_KEY = _("Creating the key…")
NOT_THE_FOUNDERS_DEVICE = _(
    "This device does not hold the key filed for this founder. Use the device you set up for the founding."
)

# What device-setup.js says while it looks for or makes this device's key (the device page, an invitation).
KEY_SETUP = {
    "checking": _("Looking for a key on this device…"),
    "none": _("This device has no key for this assembly yet."),
    "creating": CREATING_THE_KEY,
    "created": _(
        "Done: this device now has its key. Keep this browser's data; if it is cleared, the key is lost."
    ),
    "exists": _("This device already has a key for this assembly."),
    "unsupported": CANNOT_CREATE_KEYS,
}

# Each set: the marker of the block its script reads, and the sentence of each code.
SETS: dict[str, tuple[str, dict[str, Promise]]] = {
    # act-form.js, on every assembly page.
    "act": (
        MESSAGES,
        {
            "no_key": NO_KEY,
            "signing": _("Signing on this device and sending…"),
            "sent": _("Done: the act is in the record."),
            "waiting": _(
                "Sent: your application is waiting on this node. It goes into the record when a member takes "
                "it in; until then it is not in the record."
            ),
            "claim_waiting": _(
                "Sent: your claim is waiting on this node. It goes into the record when a member vouches for "
                "the new key or proposes its replacement; until then it is not in the record."
            ),
            "network": NETWORK,
            "invalid": _("Some of the fields are not filled in as they should be."),
            "blank": _("This field must say something: it is empty or holds only spaces."),
            "again": _("This was already sent and is in the record: here it is. Nothing was recorded twice."),
            "failed": _("The act could not be sent. Please try again."),
        },
    ),
    "assembly": (
        "data-ayllu-assembly-messages",
        {"duplicate_rank": _("Each option can have only one place.")},
    ),
    "cargo": (
        "data-ayllu-cargo-messages",
        {
            "end_before_start": _("The end must come after the start."),
            "not_a_question_number": _("Write the question's number alone, in digits (such as 3)."),
            "not_a_ballot_code": _(
                "The federation does not read this position: write one of the words listed under the field, "
                "exactly as written."
            ),
        },
    ),
    "draw": (
        MESSAGES,
        {
            "draw_secret_lost": _(
                "This browser does not hold your secret for this draw, so it cannot reveal it. "
                "Nothing was sent."
            ),
            "draw_secret_mismatch": _(
                "The secret in this browser does not match your commitment in the record, so it was not sent."
            ),
            "no_storage": _(
                "This browser cannot keep the secret (its storage is turned off or full). Nothing was sent."
            ),
            "other_lottery": _(
                "This browser holds a secret made for another list of panels. Nothing was sent."
            ),
        },
    ),
    "move": ("data-ayllu-move-messages", {"endorsed": _("Endorsed on this device.")}),
    "login": (
        MESSAGES,
        {
            "no_key": NO_KEY,
            "unsupported": CANNOT_CREATE_KEYS,
            "signing": LOGGING_IN,
            "done": _("Logged in."),
            "network": NETWORK,
            "failed": _("Logging in did not work. Please try again."),
        },
    ),
    "demo_key": (
        MESSAGES,
        {
            "installing": _("Keeping the demo key in this browser…"),
            "installed": _("Done: this browser holds the demo key. Logging in…"),
            "signing": LOGGING_IN,
            "key_exists": _(
                "This browser already holds another key for this assembly; the demo key was not kept."
            ),
            "unsupported": _(
                "This browser cannot keep keys. Open this page in an up-to-date browser, at an address "
                "starting with https."
            ),
            "no_storage": NO_STORAGE,
            "failed": _("The key could not be kept. Please try again."),
        },
    ),
    "device": (
        MESSAGES,
        {
            **KEY_SETUP,
            "no_storage": NO_STORAGE,
            "failed": _("The key could not be created. Please try again."),
        },
    ),
    "invitation": (
        MESSAGES,
        {
            **KEY_SETUP,
            "application_applied": _(
                "This device's application is in the record: the assembly is deciding on it."
            ),
            "application_member": _("This device's key is a member's now: you can log in with it."),
            "no_storage": NO_STORAGE,
        },
    ),
    "founding": (
        MESSAGES,
        {
            "creating": CREATING_THE_KEY,
            "signing": _("Signing on this device…"),
            "done": _("Done."),
            "filing": _("Getting this device's key ready for the assembly…"),
            "logged_in": _(
                "You are logged in with this device. Read the next step below, then go to the federation."
            ),
            "filed": _("This device's key is ready: log in with it."),
            "wrong_device": NOT_THE_FOUNDERS_DEVICE,
            "no_key": NOT_THE_FOUNDERS_DEVICE,
            "unsupported": CANNOT_CREATE_KEYS,
            "no_storage": NO_STORAGE,
            "network": NETWORK,
            "failed": _("That did not work. Please try again."),
        },
    ),
    "proof": (
        "data-ayllu-proof-messages",
        {
            "checking": _("Checking…"),
            "ok": _("The proof holds: this decision is in the record the node signed."),
            "bad": _("The proof does not hold. Do not rely on this copy; tell the assembly."),
            "unsupported": _("This browser cannot check signatures. Use the command below instead."),
            "step_signature": _("The node's signature on the checkpoint"),
            "step_entry": _("The entry belongs to this record, at this place"),
            "step_path": _("The path leads from the entry to the signed fingerprint"),
            "holds": _("holds"),
            "fails": _("fails"),
        },
    ),
}


def script_messages(name: str, extra: Mapping[str, object]) -> tuple[str, list[tuple[str, object]]]:
    """The marker of set `name` and its (code, sentence) pairs, with `extra` ones a page words itself."""
    marker, sentences = SETS[name]
    return marker, [*sentences.items(), *extra.items()]
