package dev.weft.bench.device;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Loads the device workload and runner classes once per implementation, so that weft and each
 * peer run in one JVM without sharing JIT profiles.
 *
 * <p>Why: the peers share one runner class ({@code PeerRunner}) and every implementation shares
 * the workload code. Loaded once, the call {@code queue.offer(task)} in the runner would see four
 * queue classes and the call {@code runner.submit(body)} in the workload five runner classes; the
 * JIT would compile them as megamorphic calls (no inlining), a cost weft's own channel would only
 * partly share. With a copy of those classes per implementation, each call site sees exactly one
 * receiver class, as it would in a JVM that runs one implementation alone.
 *
 * <p>Only the packages named in {@link #ISOLATED} are copied (read from the parent's class files
 * and defined here); everything else, weft's library, the peers' libraries, HdrHistogram and this
 * package, comes from the parent, so {@link WorkloadDriver} and {@link BenchDevices} are shared.
 */
final class ImplClassLoader extends ClassLoader {

    /** Package prefixes defined once per implementation. */
    static final List<String> ISOLATED = List.of(
            "dev.weft.bench.device.runner.", "dev.weft.bench.device.workload.");

    static {
        registerAsParallelCapable();
    }

    ImplClassLoader(String impl, ClassLoader parent) {
        super("weft-bench-" + impl, parent);
    }

    static boolean isolated(String className) {
        for (String prefix : ISOLATED) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!isolated(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = defineCopy(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> defineCopy(String name) throws ClassNotFoundException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ClassNotFoundException(name + " (no " + resource + " on the class path)");
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": reading " + resource + " failed", e);
        }
    }
}
