/**
 * How weft waits: {@link dev.weft.idle.Backoff}, spin then yield then park.
 *
 * <pre>{@code
 * long step = 0;
 * while (!ready()) {
 *     step = Backoff.DEFAULT.idle(step);
 * }
 * }</pre>
 */
package dev.weft.idle;
