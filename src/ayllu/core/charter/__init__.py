"""The charter and members: founding, the rules as data, admission, households and keys."""
