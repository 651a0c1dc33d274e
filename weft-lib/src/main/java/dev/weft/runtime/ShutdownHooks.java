package dev.weft.runtime;

/** Where {@link Weft#shutdownOnSignals} adds and removes its hook: the JVM's, or a test's. */
interface ShutdownHooks {

    void add(Thread hook);

    /** Removes {@code hook}; does nothing if the JVM is already running its hooks. */
    void remove(Thread hook);

    /** The JVM's shutdown hooks. */
    ShutdownHooks JVM = new ShutdownHooks() {
        @Override
        public void add(Thread hook) {
            java.lang.Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void remove(Thread hook) {
            try {
                java.lang.Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is exiting and running its hooks (this one, maybe): nothing to remove
            }
        }
    };
}
