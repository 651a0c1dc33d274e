import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;

import java.io.IOException;

/**
 * Run by UncaughtFailureTest in a JVM of its own: a task that fails with nobody joining it, on a
 * runtime with the default handler, which logs a warning.
 */
public class UnjoinedFailure {
    public static void main(String[] args) {
        try (Weft rt = Weft.start(Config.builder().workers(1).threadNamePrefix("logged").build())) {
            rt.task().name("acceptor").spawn(() -> {
                throw new IOException("boom");
            });
        }
    }
}
