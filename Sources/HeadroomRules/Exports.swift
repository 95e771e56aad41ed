// Everything below this layer is part of its vocabulary.
@_exported import HeadroomAnalysis
