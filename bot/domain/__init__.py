"""Plain data and pure functions: no discord, no SQL, no I/O."""
