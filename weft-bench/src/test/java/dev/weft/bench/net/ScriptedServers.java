package dev.weft.bench.net;

import java.util.List;

/**
 * The net suite's server factory for tests, run in each server process the suite starts: a
 * {@link ScriptedEcho} that writes back what it read, or, for these impl names, one that fails
 * a way the suite must report:
 * <ul>
 *   <li>{@code hangs-up}: closes a connection that stays silent for 150 ms;</li>
 *   <li>{@code flip}: changes the byte at stream offset 100;</li>
 *   <li>{@code broken}: cannot be created;</li>
 *   <li>{@code absent}: says it cannot run ({@code not installed});</li>
 *   <li>{@code leaky}: leaves a thread running after close;</li>
 *   <li>{@code flagged}: says which JVM flags its process got ({@link #FLAG}).</li>
 * </ul>
 * Every server's {@link EchoServer#configuration()} names the process it runs in.
 */
final class ScriptedServers implements NetSuite.ServerFactory {

    /** The JVM flag the process of {@code flagged} is started with. */
    static final String FLAG = "-Dweft.bench.test.flag=set";

    @Override
    public EchoServer create(String impl) {
        return switch (impl) {
            case "hangs-up" -> new Named(impl) {
                @Override
                int hangUpAfterIdleMillis() {
                    return 150;
                }
            };
            case "flip" -> ScriptedEcho.corrupting(impl, 100);
            case "broken" -> throw new IllegalStateException("no such transport here");
            case "absent" -> EchoServers.unavailable("absent", "not installed");
            case "leaky" -> new Named(impl) {
                @Override
                public synchronized void close() {
                    super.close();
                    Thread.ofPlatform().name(THREAD_PREFIX + "leaky-left-behind").daemon().start(() -> {
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            // ends
                        }
                    });
                }
            };
            default -> new Named(impl);
        };
    }

    @Override
    public List<String> jvmFlags(String impl) {
        return impl.equals("flagged") ? List.of(FLAG) : List.of();
    }

    /** A plain scripted echo whose configuration is its process id and the test flag. */
    private static class Named extends ScriptedEcho {
        Named(String impl) {
            super(impl, () -> (echoed, available) -> available);
        }

        @Override
        public String configuration() {
            return "pid " + ProcessHandle.current().pid() + " flag " + System.getProperty("weft.bench.test.flag", "unset");
        }
    }
}
