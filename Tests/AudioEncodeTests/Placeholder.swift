// Tests for AudioEncode: see its issue.
