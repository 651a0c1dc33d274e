package dev.weft.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    /** The exit status and what the command printed. */
    record Run(int status, String out, String err) {
    }

    /** Runs the command in this JVM with {@code args}, capturing what it prints. */
    static Run weft(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void withoutArgumentsPrintsUsageListingTheSubcommands() {
        Run run = weft();

        assertEquals(0, run.status());
        assertTrue(run.out().startsWith("Usage: weft"), run.out());
        assertTrue(run.out().contains("bench"), run.out());
        assertTrue(run.out().contains("serve"), run.out());
    }

    @Test
    void versionNamesTheBuildVersion() {
        Run run = weft("--version");

        assertEquals(0, run.status());
        assertTrue(run.out().matches("(?s)weft \\d+\\.\\d+\\.\\d+.*"), run.out());
    }

    @Test
    void serveIsNotAvailableYetAndExitsWithTwo() {
        Run run = weft("serve");

        assertEquals(2, run.status());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("not available yet"), run.err());
        assertTrue(run.err().contains("io_uring networking"), run.err());
    }

    @Test
    void unknownSuiteFailsNamingTheValueAndTheValidSuites() {
        Run run = weft("bench", "gpu");

        assertNotEquals(0, run.status());
        assertTrue(run.err().contains("'gpu'"), run.err());
        assertTrue(run.err().contains("device, sched, actors, net, io, http"), run.err());
    }

    @Test
    void benchHelpListsTheOptions() {
        Run run = weft("bench", "--help");

        assertEquals(0, run.status());
        assertTrue(run.out().contains("--quick") && run.out().contains("--json"), run.out());
    }
}
