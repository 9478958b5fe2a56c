"""CSV import of subscribers (migrations, bulk sign-ups) and CSV export of subscribers and charges.

Import is careful because it decides who gets charged and how much:

1. `parse_import_csv` decodes the bytes (UTF-8 with or without BOM, else CP949 — what Korean Excel
   writes by default), checks the header and validates every row, collecting problems by line
   number instead of stopping at the first. Name, phone, e-mail, amount and plan follow the one
   rule set sign-up and the edit dialog use too (`kpadmin.billing.fields`: a mobile number, a name
   of at most 50 characters …); `RowProblem.errors` carries their codes and parameters.

The file's columns keep PortOne's own word for the billing key's id, ``customer_uid``: merchants
export and prepare these files next to the PortOne console, where that is its name. (Inside
kpadmin's billing code the same value is a gateway ``key_id``; `kpadmin.billing.gateway`.)
2. `import_subscribers` asks the gateway for every billing key (`Gateway.get_keys`, in chunks); a
   row whose key does not exist is a bad row too. Then, unless ``dry_run``, it applies everything
   in **one** transaction, and only when there are no bad rows or ``skip_bad`` was given.
3. Re-importing the same file changes nothing: an existing customer_uid whose values are the same is
   "unchanged". One whose values differ is updated (name, phone, email, plan, amount, and the next
   charge date only when the file has one); its state is never touched. A file's next_charge_date
   that falls in a period the subscriber has already paid is **spent**: that charge happened, and
   the journal moved the date on (it is not a change, and a date in a paid period cannot be the
   next charge). So the same file imported again after a charge — the same day or months later,
   when its dates lie in the past — leaves the schedule where the charges put it
   (``ImportReport.dates_spent`` names those rows). A past date is still a bad row for a new
   subscriber, or for one that has not paid that period.

Export writes UTF-8 with a BOM (so Excel shows Korean correctly) and defuses CSV injection: a cell
starting with ``= + - @`` (or tab / CR) gets a leading ``'``. Import strips that prefix again, so an
export can be re-imported unchanged. The charges export carries ``paid_amount`` (what i'mport
charged) next to ``amount`` (what was asked), and its ``fail_reason`` is redacted like the logs.

The package's rooms: `columns` (the formats and limits), `parse` (decoding and checking an import
file), `importing` (the gateway's word on the keys, then the one transaction), `export` (the two
exports). Everything is re-exported here.
"""

from __future__ import annotations

from kpadmin.billing.csvio.columns import (
    CHARGE_EXPORT_COLUMNS,
    IGNORED_COLUMNS,
    MAX_AMOUNT,
    MAX_COLUMNS,
    MAX_DAYS_AHEAD,
    MAX_FILE_BYTES,
    MAX_ROWS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SUBSCRIBER_EXPORT_COLUMNS,
    VERIFY_CHUNK,
)
from kpadmin.billing.csvio.export import (
    defuse,
    export_charges,
    export_subscribers,
)
from kpadmin.billing.csvio.importing import (
    import_subscribers,
    verify_keys,
)
from kpadmin.billing.csvio.parse import (
    CsvFileError,
    ImportReport,
    ImportRow,
    ParsedCsv,
    RowProblem,
    decode_csv_bytes,
    parse_import_csv,
    read_import_file,
)

__all__ = [
    "CHARGE_EXPORT_COLUMNS",
    "IGNORED_COLUMNS",
    "MAX_AMOUNT",
    "MAX_COLUMNS",
    "MAX_DAYS_AHEAD",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SUBSCRIBER_EXPORT_COLUMNS",
    "VERIFY_CHUNK",
    "CsvFileError",
    "ImportReport",
    "ImportRow",
    "ParsedCsv",
    "RowProblem",
    "decode_csv_bytes",
    "defuse",
    "export_charges",
    "export_subscribers",
    "import_subscribers",
    "parse_import_csv",
    "read_import_file",
    "verify_keys",
]
