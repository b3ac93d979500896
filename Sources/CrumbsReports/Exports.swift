// The reports speak through the catalog: whoever uses them has the languages too.
@_exported import CrumbsLocalization
