// The umbrella: one import for the command line and the tests, every layer re-exported.
@_exported import HeadroomMeasure
