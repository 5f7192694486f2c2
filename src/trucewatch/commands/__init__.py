"""The commands of ``trucewatch`` (registered on the app in :mod:`trucewatch.cli`), one module per
part of the ledger they serve. Each parses options, calls one library function, and turns a library
exception into a one-line error.

=============  ============================================================================
``common``     output: consoles, JSON, a closed pipe, errors; opening the database
``ingest``     ingest, reextract, train: reading reports (with the progress bar)
``ledger``     events, event, truces, truce: what the ledger holds
``exchange``   export, import, compare: the ledger in the field's formats, and ACLED beside it
``entities``   entities list, add, alias, unalias, merge: curation
=============  ============================================================================
"""
