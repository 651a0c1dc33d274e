package dev.weft.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--port|70000|--port 70000 is not a TCP port: give 1 to 65535, or 0",
            "--port|-1|--port -1 is not a TCP port",
            "--workers|0|--workers 0 is not a worker count: give 1 to 1024",
            "--io|epoll|--io epoll is not an I/O backend of weft serve: give uring",
            "--io|none|--io none is not an I/O backend of weft serve",
            "--root|/nonexistent/weft-serve-root|--root /nonexistent/weft-serve-root does not exist: give the directory",
            "--root|pom.xml|--root pom.xml is not a directory",
            "--host|no-such-host.invalid|--host no-such-host.invalid does not resolve to an address",
            "--grace|-1|--grace -1 is negative"})
    void serveRefusesABadOptionNamingItsValueAndTheFix(String option, String value, String message) {
        Run run = weft("serve", option, value);

        assertEquals(2, run.status(), run.err());
        assertTrue(run.err().startsWith(message), run.err());
        assertEquals("", run.out());
    }

    @Test
    void serveHelpListsTheOptions() {
        Run run = weft("serve", "--help");

        assertEquals(0, run.status());
        for (String option : new String[] {"--host", "--port", "--root", "--workers", "--io", "--grace"}) {
            assertTrue(run.out().contains(option), option + " in:\n" + run.out());
        }
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
