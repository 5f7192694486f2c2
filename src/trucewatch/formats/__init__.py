"""The field's formats: what ``trucewatch export`` writes and ``trucewatch import`` reads beside the
ledger's own JSON.

==============  ==============================================================================
``cells``       CSV writing shared by every CSV format (spreadsheet formula cells neutralised)
``acled``       ACLED's columns and codebook values: a merged event as an ACLED row
``acled_csv``   reading an ACLED extract (CSV) into reference rows, and checking it
``plover``      PLOVER event records (JSONL) from merged events
``geojson``     a GeoJSON FeatureCollection of the merged events that have coordinates
``compare``     what an ACLED extract and the ledger each have that the other lacks
==============  ==============================================================================

The mapping tables are data at the top of each module and are restated in the README's *Formats*
section. Nothing here speaks SQL or prints: the store reads, these modules map, the CLI writes.
"""
