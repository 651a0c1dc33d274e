package dev.weft.cli;

import dev.weft.cli.serve.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;


/**
 * The {@code weft} command. Without a subcommand it prints its usage.
 *
 * <pre>
 * weft bench [SUITE] [--quick] [--json FILE]
 * weft ioqueue --queue FILE [--slots N] --src H=PATH ... --dst H=FILE:OFFSET:LENGTH ...
 * weft serve [--host H] [--port P] [--root DIR] [--workers N] [--io uring|nio|auto] [--grace S]
 * weft --version
 * </pre>
 */
@Command(name = "weft",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "weft: a Java 25 runtime for services with very many concurrent activities"
                + " and raw I/O speed.",
        subcommands = {BenchCommand.class, IoqueueCommand.class, ServeCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                "0:done",
                "1:failed (a benchmark report could not be written, a suite of weft bench without SUITE failed,"
                        + " the I/O queue's loop failed, the server could not listen, ...)",
                "2:usage error, or the feature asked for is not available yet"})
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    /** Runs the command and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, ready to {@code execute}; tests redirect its output. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version of this build, from {@code version.properties} (filled in by Maven). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"weft " + version(), "JVM: ${java.version} (${java.vendor} ${java.vm.name})"};
        }

        static String version() {
            return BuildInfo.read().version();
        }
    }
}
