import Testing

/// Every test that opens sockets or starts processes runs under this suite, one at a time:
/// they share ports, descriptors and two cores, and the descriptor check needs a quiet process.
@Suite(.serialized) struct EndToEnd {}
