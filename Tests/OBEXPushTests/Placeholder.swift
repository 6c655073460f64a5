// Tests for OBEXPush: see its issue.
