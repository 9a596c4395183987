"""The product's exceptions: each carries one sentence a user can act on."""


class AftersalesError(Exception):
    """Base of every error the CLI turns into a one-line message (exit 1)."""


class FileRejected(AftersalesError):
    """A whole input file cannot be loaded: empty, unreadable, or missing required columns."""


class SourceUnknown(FileRejected):
    """The source of a file could not be told from --source, its folder or its header."""


class WarehouseBusy(AftersalesError):
    """Another process is writing to the warehouse and did not finish within the wait."""


class WarehouseMissing(AftersalesError):
    """The warehouse file does not exist yet: nothing has been ingested."""


class ReadOnlyViolation(AftersalesError):
    """A query given to `aftersales sql` tried to change the warehouse."""


class SettingsError(AftersalesError):
    """The settings or taxonomy file is malformed."""


class MonthInvalid(AftersalesError):
    """A month given on the command line or to a notebook is not of the form YYYY-MM."""


class ReportFailed(AftersalesError):
    """A notebook of the review pack failed; the message names the notebook and the cell."""


class PackTargetNotEmpty(AftersalesError):
    """The folder named for the pack holds something other than an earlier pack."""


class LabelMissing(AftersalesError):
    """A label file (pipelines/labels/<lang>.toml) lacks a group or key the pack needs."""


class PdfNotWritten(AftersalesError):
    """review.pdf could not be printed (no Chromium, or it failed); the HTML pack is written."""
