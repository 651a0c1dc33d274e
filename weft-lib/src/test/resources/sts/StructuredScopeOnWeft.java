import dev.weft.runtime.Config;
import dev.weft.runtime.Weft;
import dev.weft.task.Task;

import java.util.List;
import java.util.concurrent.StructuredTaskScope;

/**
 * Run by JdkInterfacesTest in a JVM with --enable-preview (StructuredTaskScope is a preview API
 * in JDK 25): forks two subtasks on weft's thread factory and prints where they ran.
 */
public class StructuredScopeOnWeft {
    static String where() {
        String t = Thread.currentThread().toString();
        return Task.current().kind() + "@" + t.substring(t.lastIndexOf('@') + 1).replaceAll("-\\d+$", "");
    }

    public static void main(String[] args) throws Exception {
        try (Weft rt = Weft.start(Config.builder().workers(2).threadNamePrefix("sts").build());
             var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.<String>allSuccessfulOrThrow(),
                     cfg -> cfg.withThreadFactory(rt.threadFactory()))) {
            scope.fork(StructuredScopeOnWeft::where);
            scope.fork(StructuredScopeOnWeft::where);
            List<String> results = scope.join().map(StructuredTaskScope.Subtask::get).toList();
            System.out.println("forked: " + results);
        }
    }
}
