package dev.weft.bench.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.weft.bench.JsonReport;
import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportDirectoryTest {

    @TempDir
    Path dir;

    private static SuiteOutcome alphaRan() {
        SuiteReport alpha = Fakes.alpha();
        return SuiteOutcome.ran(alpha, Fakes.alphaTargets(alpha).targets(), "alpha table\n", "alpha: round 1\n", 12);
    }

    private String readme(List<SuiteOutcome> outcomes) throws IOException {
        Path readme = ReportDirectory.write(dir, outcomes, Fakes.machine());
        assertEquals(dir.resolve("README.md"), readme);
        return Files.readString(readme);
    }

    @Test
    void ratioIsWeftOverPeerWhenHigherIsBetter() throws IOException {
        String md = readme(List.of(alphaRan()));

        assertTrue(md.contains("| peer-a | 100.0 ops/s | 90.0 ops/s .. 110.0 ops/s | 3 | **2.00x**, weft better |"), md);
        assertTrue(md.contains("| peer-b | 400.0 ops/s | 380.0 ops/s .. 420.0 ops/s | 3 | 0.50x, peer-b better |"), md);
    }

    @Test
    void ratioIsPeerOverWeftWhenLowerIsBetter() throws IOException {
        String md = readme(List.of(alphaRan()));

        assertTrue(md.contains("#### p99 (ns, lower is better)"), md);
        assertTrue(md.contains("| peer-a | 3000 ns | 2900 ns .. 3100 ns | 3 | **3.00x**, weft better |"), md);
    }

    @Test
    void overlappingSpreadsAreCalledNoise() throws IOException {
        String md = readme(List.of(alphaRan()));

        assertTrue(md.contains("| peer-b | 1050 ns | 1000 ns .. 1100 ns | 3 | 1.05x, noise |"), md);
    }

    @Test
    void weftRowsAreMarkedAndHaveNoRatioAgainstThemselves() throws IOException {
        String md = readme(List.of(alphaRan()));

        assertTrue(md.contains("| **weft** | 200.0 ops/s | 190.0 ops/s .. 210.0 ops/s | 3 |  |"), md);
    }

    @Test
    void aPeerTheSuiteComparesLikeForLikeIsComparedWithThoseOnly() throws IOException {
        SuiteReport two = new SuiteReport("two", true, "25", 2, List.of(
                Fakes.result("c", "weft", "throughput", "ops/s", true, 200, 190, 210),
                Fakes.result("c", "weft-dedicated", "throughput", "ops/s", true, 50, 45, 55),
                Fakes.result("c", "fjp", "throughput", "ops/s", true, 100, 95, 105),
                Fakes.result("c", "jdk-vt", "throughput", "ops/s", true, 40, 35, 45)));
        SuiteOutcome o = SuiteOutcome.ran(two, List.of(), java.util.Map.of("fjp", List.of("weft")), "", "", 1);

        String md = readme(List.of(o));

        assertTrue(md.contains("| fjp | 100.0 ops/s | 95.0 ops/s .. 105.0 ops/s | 3 | **2.00x**, weft better | - |"), md);
        assertTrue(md.contains("| jdk-vt | 40.0 ops/s | 35.0 ops/s .. 45.0 ops/s | 3 | **5.00x**, weft better |"
                + " 1.25x, noise |"), md);
        // weft better than fjp and jdk-vt, weft-dedicated within noise of jdk-vt; weft-dedicated vs fjp not counted
        assertEquals(new SuiteOutcome.Tally(2, 0, 1, 0, 0, 0), o.tally());
    }

    @Test
    void summaryCountsComparisonsAndTargets() throws IOException {
        String md = readme(List.of(alphaRan()));

        // weft better: throughput vs peer-a, p99 vs peer-a; peer better: throughput vs peer-b; noise: p99 vs peer-b.
        // targets: 1 met, 1 missed, 1 without verdict (peer-c not measured).
        assertTrue(md.contains("| [alpha](#alpha) | ran | 12 s | 2 | 1 | 1 | 1 | 1 | 1 |"), md);
    }

    @Test
    void missedTargetsAreListedAtTheTopAndInTheSuite() throws IOException {
        String md = readme(List.of(alphaRan()));

        int missedSection = md.indexOf("## Missed targets");
        int suiteSection = md.indexOf("## alpha");
        int listed = md.indexOf("- alpha: echo throughput: weft \\>= 1.5x peer-b: 0.50x");
        assertTrue(missedSection >= 0 && listed > missedSection && listed < suiteSection, md);
        assertTrue(md.contains("| echo throughput: weft \\>= 1.5x peer-b | 0.50x | **missed** |"), md);
        assertTrue(md.contains("| echo p99: weft \\<= 0.5x peer-a | 3.00x | met |"), md);
        assertTrue(md.contains("| echo throughput: weft \\>= 1x peer-c |  | n/a (peer not measured) |"), md);
    }

    @Test
    void skippedPeersAreNamedWithTheirReason() throws IOException {
        String md = readme(List.of(alphaRan()));

        assertTrue(md.contains("- `peer-c`: peer-c needs fio: apt-get install fio"), md);
    }

    @Test
    void machineLineIsAtTheTop() throws IOException {
        String md = readme(List.of(alphaRan()));

        assertTrue(md.contains("Machine: 2026-12-07 17:00:00 UTC, jdk 25.0.1 (Test), 2 cpus, Linux 6.1.0-test;"
                + " load average 0.10 0.20 0.30 at start"), md);
    }

    @Test
    void everyCaseAndMetricHasAPngChartEmbeddedByARelativeLink() throws Exception {
        Fakes.assumeFonts();
        String md = readme(List.of(alphaRan(), SuiteOutcome.ran(Fakes.beta(), List.of(), "", "", 1)));

        Matcher links = Pattern.compile("!\\[[^]]*]\\((charts/[^)]+)\\)").matcher(md);
        List<String> charts = new ArrayList<>();
        while (links.find()) {
            charts.add(links.group(1));
        }
        assertEquals(List.of("charts/alpha-echo-throughput.png", "charts/alpha-echo-p99.png",
                "charts/beta-spawn-throughput.png"), charts);
        for (String chart : charts) {
            BufferedImage image = ImageIO.read(dir.resolve(chart).toFile());
            assertNotNull(image, chart + " is not an image ImageIO can read");
            assertEquals(BarChart.WIDTH, image.getWidth(), chart);
            assertEquals(BarChart.HEIGHT, image.getHeight(), chart);
        }
    }

    @Test
    void chartDrawsWeftInItsOwnColourAndThePeersInGrey() throws IOException {
        Fakes.assumeFonts();
        readme(List.of(alphaRan()));

        BufferedImage image = ImageIO.read(dir.resolve("charts/alpha-echo-throughput.png").toFile());
        assertTrue(pixels(image, BarChart.WEFT) > 100, "weft's bar");
        assertTrue(pixels(image, BarChart.PEER) > pixels(image, BarChart.WEFT), "two peers' bars, each larger");
    }

    @Test
    void aCaseWithoutWeftHasNoBarInWeftsColour() throws IOException {
        Fakes.assumeFonts();
        SuiteReport peersOnly = new SuiteReport("zeta", true, "25", 2, List.of(
                Fakes.result("idle", "peer-a", "cpu", "%core", false, 0.5, 0.4, 0.6)));
        readme(List.of(SuiteOutcome.ran(peersOnly, List.of(), "", "", 1)));

        BufferedImage image = ImageIO.read(dir.resolve("charts/zeta-idle-cpu.png").toFile());
        assertEquals(0, pixels(image, BarChart.WEFT));
        assertTrue(pixels(image, BarChart.PEER) > 100);
    }

    @Test
    void aChartThatCannotBeWrittenIsNamedWithWhyAndTheRestIsWritten() throws IOException {
        Fakes.assumeFonts();
        Path blocked = Files.createDirectories(dir.resolve("charts/alpha-echo-p99.png"));
        Files.writeString(blocked.resolve("keep"), "a directory where the chart would go");

        String md = readme(List.of(alphaRan()));

        int notDrawn = md.indexOf("(chart not drawn: ");
        assertTrue(notDrawn >= 0 && md.indexOf("alpha-echo-p99.png", notDrawn) > notDrawn, md);
        assertFalse(md.contains("](charts/alpha-echo-p99.png)"), md);
        assertTrue(md.contains("](charts/alpha-echo-throughput.png)"), md);
        assertTrue(md.contains("| peer-a | 3000 ns |"), "the numbers are still there: " + md);
        assertTrue(Files.isRegularFile(dir.resolve("results.json")));
    }

    @Test
    void resultsJsonParsesAndRoundTrips() throws IOException {
        readme(List.of(alphaRan(), SuiteOutcome.ran(Fakes.beta(), List.of(), "", "", 1)));

        String written = Files.readString(dir.resolve("results.json"));
        JsonObject doc = JsonParser.parseString(written).getAsJsonObject();
        assertEquals("all", doc.get("suite").getAsString());
        assertEquals(List.of("alpha", "beta"), doc.getAsJsonArray("suites").asList().stream()
                .map(JsonElement::getAsString).toList());
        List<SuiteReport> back = reports(doc);
        assertEquals(List.of(Fakes.alpha(), Fakes.beta()), back);
        assertEquals(written, JsonReport.combined(back));
    }

    @Test
    void aFailedSuiteSaysWhyAndTheOthersAreStillReported() throws IOException {
        SuiteOutcome failed = SuiteOutcome.failed("gamma", "IllegalStateException: gamma: 2 wrong results",
                "gamma table so far\n", "gamma: round 1\n", 3);
        String md = readme(List.of(alphaRan(), failed));

        assertTrue(md.contains("| [gamma](#gamma) | **failed** | 3 s |"), md);
        assertTrue(md.contains("## gamma\n\n**Failed** after 3 s: IllegalStateException: gamma: 2 wrong results"), md);
        assertEquals("gamma table so far\n", Files.readString(dir.resolve("tables/gamma.txt")));
        assertEquals("gamma: round 1\n", Files.readString(dir.resolve("logs/gamma.log")));
        assertTrue(md.contains("[tables/gamma.txt](tables/gamma.txt)"), md);
        JsonObject doc = JsonParser.parseString(Files.readString(dir.resolve("results.json"))).getAsJsonObject();
        assertEquals(List.of("alpha"), doc.getAsJsonArray("suites").asList().stream()
                .map(JsonElement::getAsString).toList());
    }

    @Test
    void whenNoSuiteRanTheReportSaysSoAndHasNoJson() throws IOException {
        String md = readme(List.of(SuiteOutcome.failed("gamma", "boom", "", "", 0),
                SuiteOutcome.notAvailable("delta", "bench suite 'delta' is not available yet: it arrives with x")));

        assertTrue(md.contains("No results.json: no suite ran to the end."), md);
        assertTrue(md.contains("Not available in this build: bench suite 'delta' is not available yet: it arrives"
                + " with x."), md);
        assertFalse(Files.exists(dir.resolve("results.json")));
    }

    @Test
    void aNewReportReplacesTheOldOneAndKeepsOtherFiles() throws IOException {
        Fakes.assumeFonts();
        Files.writeString(dir.resolve("notes.md"), "mine");
        readme(List.of(alphaRan(), SuiteOutcome.ran(Fakes.beta(), List.of(), "beta table\n", "", 1)));
        assertTrue(Files.exists(dir.resolve("charts/beta-spawn-throughput.png")));

        String md = readme(List.of(alphaRan()));

        assertFalse(Files.exists(dir.resolve("charts/beta-spawn-throughput.png")));
        assertFalse(Files.exists(dir.resolve("tables/beta.txt")));
        assertFalse(md.contains("beta"), md);
        assertTrue(Files.exists(dir.resolve("charts/alpha-echo-p99.png")));
        assertEquals("mine", Files.readString(dir.resolve("notes.md")));
    }

    @Test
    void aReportDirectoryThatIsAFileIsRefusedNamingIt() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");

        IOException e = assertThrows(IOException.class,
                () -> ReportDirectory.write(file, List.of(alphaRan()), Fakes.machine()));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("--report DIR"), e.getMessage());
    }

    @Test
    void markdownCellsEscapePipesAndMarkup() {
        assertEquals("a \\| b \\*c\\* \\<x\\> d", MarkdownSummary.escape("a | b *c* <x>\nd"));
    }

    private static int pixels(BufferedImage image, Color colour) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The combined document back as one SuiteReport per suite, results in order. */
    private static List<SuiteReport> reports(JsonObject doc) {
        Map<String, List<Result>> bySuite = new LinkedHashMap<>();
        for (JsonElement s : doc.getAsJsonArray("suites")) {
            bySuite.put(s.getAsString(), new ArrayList<>());
        }
        JsonArray results = doc.getAsJsonArray("results");
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            Result result = r.has("skipped")
                    ? Result.skipped(r.get("case").getAsString(), r.get("impl").getAsString(), r.get("skipped").getAsString())
                    : new Result(r.get("case").getAsString(), r.get("impl").getAsString(), r.get("metric").getAsString(),
                    r.get("unit").getAsString(), r.get("value").getAsDouble(), r.get("min").getAsDouble(),
                    r.get("max").getAsDouble(), r.get("runs").getAsInt(), r.get("higherIsBetter").getAsBoolean(), null);
            bySuite.get(r.get("suite").getAsString()).add(result);
        }
        List<SuiteReport> out = new ArrayList<>();
        bySuite.forEach((suite, rs) -> out.add(new SuiteReport(suite, doc.get("quick").getAsBoolean(),
                doc.get("jdk").getAsString(), doc.get("cpus").getAsInt(), rs)));
        return out;
    }
}
