package dev.weft.task.host;

import java.util.ServiceLoader;

/**
 * Holds the {@link TaskHost}, loaded on first use (a class initialisation: once, safely published)
 * through weft's own class loader, whatever the calling thread's context loader is: as a module's
 * service on the module path, from {@code META-INF/services} on the class path.
 */
final class LoadedHost {

    static final TaskHost HOST = ServiceLoader.load(TaskHost.class, TaskHost.class.getClassLoader()).findFirst()
            .orElseThrow(() -> new IllegalStateException("no " + TaskHost.class.getName() + " provider was found:"
                    + " weft's jar is incomplete (its module-info or META-INF/services entry is missing)"));

    private LoadedHost() {
    }
}
