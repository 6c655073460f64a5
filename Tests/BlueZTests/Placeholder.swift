// Tests for BlueZ: see its issue.
