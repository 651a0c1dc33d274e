package dev.weft.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code weft serve}: weft's server. Not available until weft has io_uring networking. */
@Command(name = "serve",
        description = "Run weft's server (not available yet: it arrives with the io_uring"
                + " networking part of weft).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    static final String NOT_AVAILABLE = "weft serve is not available yet: the server arrives with"
            + " the io_uring networking part of weft";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println(NOT_AVAILABLE);
        return ExitCodes.NOT_AVAILABLE;
    }
}
