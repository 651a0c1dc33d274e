package dev.weft.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a JVM a suite starts as a child (a server implementation, a load
 * generator): this JVM's {@code java}, this JVM's own flags without agents, debuggers, recordings
 * and heap sizes ({@link #inheritedFlags}), the job's flags, the fixed heap limit {@link #HEAP},
 * this JVM's class path, the main class and its arguments, behind a command prefix (a
 * {@code taskset}). The child thus sees weft's module and flags as {@code ./weft} or the test JVM
 * set them, and every child the same heap.
 */
public final class ChildJvm {

    /** The heap limit of every child, alike for every implementation. */
    public static final String HEAP = "-Xmx1g";

    private ChildJvm() {
    }

    /**
     * The full command line of a child: prefix, java, the inherited flags, {@code jvmFlags},
     * {@link #HEAP}, the class path, {@code mainClass} (a class name: the class need not be
     * loadable here) and {@code args}.
     */
    public static List<String> command(List<String> prefix, List<String> jvmFlags, String mainClass,
                                       List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(inheritedFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.addAll(jvmFlags);
        command.add(HEAP);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** The suite JVM's flags a child gets too: all but agents, debuggers, recordings and heap sizes. */
    public static List<String> inheritedFlags(List<String> flags) {
        return flags.stream().filter(f -> !(f.startsWith("-agentlib") || f.startsWith("-agentpath")
                || f.startsWith("-javaagent") || f.startsWith("-Xrunjdwp") || f.startsWith("-Xdebug")
                || f.startsWith("-XX:StartFlightRecording") || f.startsWith("-Xmx") || f.startsWith("-Xms"))).toList();
    }
}
