package dev.weft.bench;

import java.util.List;

/** A case of a suite, as its report lists it: a stable name and the metrics it yields. */
public interface BenchCase {

    /** The stable name in tables and JSON: other tooling compares runs by it. */
    String id();

    /** The metrics a measurement of this case yields, in table order. */
    List<Metric> metrics();
}
