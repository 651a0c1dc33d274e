package dev.weft.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs the {@code weft} command in a JVM of its own, for the tests that start it as a process. */
public final class WeftCommandLine {

    private WeftCommandLine() {
    }

    /**
     * {@code java} with this JVM's flags (weft on the module path, as the {@code weft} script puts
     * it) and class path, running {@link Main} with {@code args}.
     */
    public static List<String> of(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }
}
