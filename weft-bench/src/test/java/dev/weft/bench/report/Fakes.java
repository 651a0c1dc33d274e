package dev.weft.bench.report;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;

import java.util.List;

/** Reports made up for the report's tests: known values, so every ratio is known. */
final class Fakes {

    private Fakes() {
    }

    /** One round each, so min = max = median, unless a spread is given. */
    static Result result(String caseName, String impl, String metric, String unit, boolean higherIsBetter,
                         double value, double min, double max) {
        return new Result(caseName, impl, metric, unit, value, min, max, 3, higherIsBetter, null);
    }

    /**
     * Case {@code echo}: throughput (higher is better) weft 200, peer-a 100 (weft 2.00x better),
     * peer-b 400 (peer-b better, 0.50x); p99 in ns (lower is better) weft 1000, peer-a 3000 (weft
     * 3.00x better), peer-b 1050 with overlapping spreads (noise, 1.05x). peer-c skipped.
     */
    static SuiteReport alpha() {
        return new SuiteReport("alpha", true, "25.0.1", 2, List.of(
                result("echo", "weft", "throughput", "ops/s", true, 200, 190, 210),
                result("echo", "peer-a", "throughput", "ops/s", true, 100, 90, 110),
                result("echo", "peer-b", "throughput", "ops/s", true, 400, 380, 420),
                result("echo", "weft", "p99", "ns", false, 1000, 900, 1100),
                result("echo", "peer-a", "p99", "ns", false, 3000, 2900, 3100),
                result("echo", "peer-b", "p99", "ns", false, 1050, 1000, 1100),
                Result.skipped("echo", "peer-c", "peer-c needs fio: apt-get install fio")));
    }

    /** The targets of {@link #alpha()}: throughput against peer-b missed, p99 against peer-a met. */
    static TargetLines alphaTargets(SuiteReport report) {
        TargetLines t = new TargetLines(report);
        t.ratio("echo throughput: weft >= 1.5x peer-b", t.find("echo", "weft", "throughput"),
                t.find("echo", "peer-b", "throughput"), 1.5);
        t.ratio("echo p99: weft <= 0.5x peer-a", t.find("echo", "weft", "p99"), t.find("echo", "peer-a", "p99"), 2);
        t.ratio("echo throughput: weft >= 1x peer-c", t.find("echo", "weft", "throughput"),
                t.find("echo", "peer-c", "throughput"), 1);
        return t;
    }

    /** A second suite, with its own weft implementation name and one case. */
    static SuiteReport beta() {
        return new SuiteReport("beta", true, "25.0.1", 2, List.of(
                result("spawn", "weft-proc", "throughput", "actors/s", true, 3e6, 2.9e6, 3.1e6),
                result("spawn", "pekko", "throughput", "actors/s", true, 1e6, 0.9e6, 1.1e6)));
    }

    /** Skips the calling test, naming the Debian packages, when this machine cannot draw text. */
    static void assumeFonts() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        boolean fonts;
        try {
            fonts = java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0;
        } catch (RuntimeException | Error e) {
            fonts = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(fonts, "charts need fontconfig and a font: apt-get install"
                + " fontconfig fonts-dejavu-core (./test installs them)");
    }

    static Machine machine() {
        return new Machine(java.time.Instant.parse("2026-12-07T17:00:00Z"), "25.0.1 (Test)", 2, "Linux 6.1.0-test",
                "load average 0.10 0.20 0.30 at start, 0.40 0.50 0.60 at end; quiet");
    }
}
