"""The i'mport simulator (kpadmin sandbox): stands alone; the app's sandbox mode and the tests start
it."""

#: The sandbox's own state file in the data dir's sandbox folder (billing keys, payments).
STATE_FILE = "sandbox-state.sqlite3"
