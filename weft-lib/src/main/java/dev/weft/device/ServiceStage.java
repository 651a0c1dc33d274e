package dev.weft.device;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a service class on a stage's runner. Without it a service runs on {@link Stage#UPSTREAM}.
 *
 * <pre>{@code
 * @ServiceStage(Stage.DOWNSTREAM)
 * final class Readback {
 *     long bytesRead;
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ServiceStage {
    /** The stage whose runner holds and runs this service. */
    Stage value();
}
