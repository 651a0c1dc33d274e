/**
 * Device service runners: one dedicated thread per (device, {@link dev.weft.device.Stage}) that
 * owns the state of that device's services and runs closures sent to it through a lock-free
 * {@link dev.weft.device.BatchChannel}. For a GPU context, a hardware handle or a native library
 * that must only ever be touched from one thread.
 *
 * <pre>{@code
 * DeviceId gpu = new DeviceId(0, 1);
 * DeviceHandle<Kernels> kernels = DeviceHandle.open(gpu, Kernels.class, id -> new Kernels(id));
 *
 * kernels.submit(k -> k.enqueue(job));              // fire and forget, in order per thread
 * kernels.flush();                                   // eligible to run now
 * int free = kernels.submitBlocking(k -> k.freeMemory());   // waits for the answer
 *
 * DeviceHandle.shutdown(gpu, Duration.ofSeconds(5)); // runs what is queued, then stops
 * }</pre>
 *
 * A task that throws never kills a runner: {@code submitBlocking} throws a
 * {@link dev.weft.device.CallException} carrying the original; a fire-and-forget task's
 * throwable goes to the device's {@link dev.weft.device.TaskFailureHandler}.
 */
package dev.weft.device;
