"""Documents a person takes away: crisis sheets, support plans, handover sheets, reports and
subject-access archives. Each builder is a pure function from records to HTML, CSV or bytes (no
Qt, no database), so it can be tested on its own; exports.py gathers what a builder needs from the
store in one read and audits the export; ui/printing.py turns HTML into a PDF or paper.
"""
