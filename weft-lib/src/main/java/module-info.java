/**
 * The weft runtime. Depends on nothing beyond the JDK.
 *
 * <ul>
 *   <li>{@link dev.weft.device}: device service runners, one thread per (device, stage) fed by a
 *       lock-free batching channel.</li>
 *   <li>{@link dev.weft.idle}: {@link dev.weft.idle.Backoff}, the one way every weft loop waits.</li>
 * </ul>
 */
module dev.weft {
    exports dev.weft.device;
    exports dev.weft.idle;
}
