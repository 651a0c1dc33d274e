package dev.weft.runtime;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weft runs as the named module {@code dev.weft}: its tests do, and a JVM that puts it on the
 * module path enforces {@code module-info}'s exports and opens {@code java.lang} to weft alone.
 * The enforcement is checked in child JVMs, whose class path code is outside the module (in this
 * JVM the test classes are patched into it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NamedModuleTest {

    /** A program on the class path that uses weft from outside its module. */
    private static final String PROBE = """
            public class Probe {
                public static void main(String[] args) throws Exception {
                    switch (args[0]) {
                        case "start" -> {
                            try (var rt = dev.weft.runtime.Weft.start()) {
                                System.out.println("started in " + dev.weft.runtime.Weft.class.getModule());
                            } catch (IllegalStateException e) {
                                System.out.println(e.getMessage());
                            }
                        }
                        case "internal" -> {
                            Class<?> worker = Class.forName("dev.weft.sched.Worker");
                            try {
                                worker.getDeclaredConstructors()[0].setAccessible(true);
                                System.out.println("accessible");
                            } catch (RuntimeException e) {
                                System.out.println(e.getClass().getName() + ": " + e.getMessage());
                            }
                        }
                        case "spawn" -> {
                            try (var rt = dev.weft.runtime.Weft.start()) {
                                var outer = rt.spawn(() -> {
                                    var inner = dev.weft.task.Task.spawn(() -> 20);
                                    dev.weft.task.Task.sleep(java.time.Duration.ofMillis(1));
                                    return inner.join() + 22;
                                });
                                System.out.println("spawned: " + outer.join());
                            }
                        }
                        default -> throw new IllegalArgumentException(args[0]);
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    static Path probe;
    static String weftClasses;

    @BeforeAll
    static void writeProbe() throws Exception {
        probe = Files.writeString(dir.resolve("Probe.java"), PROBE);
        weftClasses = Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Runs the probe in a child JVM (the source launcher) with {@code options}; its output. */
    private static String probe(List<String> options, String what) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-D" + IoMode.PROPERTY + "=none");
        command.addAll(options);
        command.add(probe.toString());
        command.add(what);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not end: " + command);
        assertEquals(0, p.exitValue(), command + "\n" + out);
        return out;
    }

    private static List<String> modulePath(String... flags) {
        List<String> options = new ArrayList<>(List.of("--module-path", weftClasses, "--add-modules", "dev.weft"));
        options.addAll(List.of(flags));
        return options;
    }

    @Test
    void theTestsRunWeftAsTheNamedModule() {
        assertEquals("dev.weft", Weft.class.getModule().getName());
        assertTrue(Object.class.getModule().isOpen("java.lang", Weft.class.getModule()),
                "the build opens java.lang to dev.weft");
    }

    @Test
    void onTheModulePathTheMissingFlagIsNamedForTheModule() throws Exception {
        String out = probe(modulePath("--enable-native-access=dev.weft"), "start");
        assertTrue(out.contains("needs the JVM flag --add-opens java.base/java.lang=dev.weft "), out);
    }

    @Test
    void onTheClassPathTheMissingFlagIsNamedForTheClassPath() throws Exception {
        String out = probe(List.of("--class-path", weftClasses, "--enable-native-access=ALL-UNNAMED"), "start");
        assertTrue(out.contains("needs the JVM flag --add-opens java.base/java.lang=ALL-UNNAMED "), out);
    }

    /** Task's static methods find the scheduler through a service (TaskHost): both ways of loading it work. */
    @Test
    void taskMethodsReachTheSchedulerOnTheModulePathAndOnTheClassPath() throws Exception {
        String onModulePath = probe(modulePath("--add-opens", "java.base/java.lang=dev.weft",
                "--enable-native-access=dev.weft"), "spawn");
        assertTrue(onModulePath.contains("spawned: 42"), onModulePath);
        String onClassPath = probe(List.of("--class-path", weftClasses, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED"), "spawn");
        assertTrue(onClassPath.contains("spawned: 42"), onClassPath);
    }

    @Test
    void withTheModuleFlagsWeftStartsAsTheNamedModule() throws Exception {
        String out = probe(modulePath("--add-opens", "java.base/java.lang=dev.weft",
                "--enable-native-access=dev.weft"), "start");
        assertTrue(out.contains("started in module dev.weft"), out);
    }

    @Test
    void anInternalPackageIsNotAccessibleFromTheClassPath() throws Exception {
        String out = probe(modulePath("--add-opens", "java.base/java.lang=dev.weft"), "internal");
        assertTrue(out.startsWith("java.lang.reflect.InaccessibleObjectException")
                && out.contains("does not \"opens dev.weft.sched\""), out);
    }
}
