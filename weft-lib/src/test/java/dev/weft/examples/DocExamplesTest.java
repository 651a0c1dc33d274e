package dev.weft.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every code example in the README and in the main sources' javadoc compiles and runs: each
 * {@code ```java} block of {@code README.md} and each {@code <pre>{@code ...}</pre>} block of a
 * weft-lib {@code src/main/java} file must appear, whitespace aside, in a test source under an
 * {@code examples} test directory of a module ({@code weft-lib/src/test/java/dev/weft/examples/}),
 * in a test class whose tests run it. (weft-bench's javadoc examples run whole benchmark suites
 * and are not checked yet: {@link #mainSources} is where to widen the check.) An example's {@code import} lines must be among that file's imports; the rest must
 * appear in it as one piece, as the body of a method (helpers it calls, such as
 * {@code count("a")}, are defined beside it). A changed example fails here until its test source
 * is changed with it.
 */
class DocExamplesTest {

    /** One code example: where it is (1-based line of its first code line) and its text. */
    record Example(Path file, int line, String code) {
    }

    /** A test source that may hold examples. */
    record Holder(Path file, String text) {
    }

    @Test
    void everyExampleHasATestSourceThatRunsIt() throws IOException {
        Path repo = repository();
        List<Example> examples = new ArrayList<>(readmeExamples(repo.resolve("README.md")));
        for (Path source : mainSources(repo)) {
            examples.addAll(javadocExamples(source));
        }
        List<Holder> holders = holders(repo);
        assertFalse(examples.isEmpty(), "no example found under " + repo);
        List<String> missing = new ArrayList<>();
        for (Example e : examples) {
            List<Holder> holding = holders.stream().filter(h -> holds(h.text(), e.code())).toList();
            if (holding.isEmpty()) {
                missing.add(repo.relativize(e.file()) + ":" + e.line() + ": " + firstLine(e.code()));
            } else if (holding.stream().noneMatch(h -> h.text().contains("@Test"))) {
                missing.add(repo.relativize(e.file()) + ":" + e.line() + ": held by "
                        + repo.relativize(holding.getFirst().file()) + ", which has no @Test to run it");
            }
        }
        if (!missing.isEmpty()) {
            fail(missing.size() + " code example(s) have no test source that runs them:\n  "
                    + String.join("\n  ", missing)
                    + "\nCopy each into the body of a method of a test class under"
                    + " weft-lib/src/test/java/dev/weft/examples/, with its imports among the file's and the"
                    + " helpers it calls beside it, and a @Test that runs it; or, for an example you changed,"
                    + " change its test source there the same way.");
        }
    }

    // The extraction and the matching, on small inputs.

    @Test
    void readmeJavaFencesAreExamplesWithTheirLine() {
        String readme = "# t\n```sh\n./weft\n```\ntext\n```java\nint a = 1;\nint b = 2;\n```\n";
        List<Example> found = readmeExamples(Path.of("README.md"), readme);
        assertEquals(1, found.size());
        assertEquals(7, found.getFirst().line());
        assertEquals("int a = 1;\nint b = 2;\n", found.getFirst().code());
    }

    @Test
    void javadocPreCodeBlocksLoseTheirStarsAndEntities() {
        String source = "/**\n * Text.\n *\n * <pre>{@code\n * List<String> xs = f();\n *     g(&#64;x);\n * }</pre>\n"
                + " * <pre>\n * not code\n * </pre>\n */\nclass A {}\n";
        List<Example> found = javadocExamples(Path.of("A.java"), source);
        assertEquals(1, found.size());
        assertEquals(5, found.getFirst().line());
        assertEquals("List<String> xs = f();\n    g(@x);\n", found.getFirst().code());
    }

    @Test
    void aHolderMatchesWhitespaceAsideWithItsImportsAnywhereAbove() {
        String example = "import a.B;\n\ntry (B b = B.open()) {\n    b.run(1,  2);\n}\n";
        String holder = "package p;\nimport a.B;\nimport c.D;\nclass T {\n  void m() {\n"
                + "        try (B b = B.open()) {\n            b.run(1, 2);\n        }\n  }\n}\n";
        assertTrue(holds(holder, example));
        assertFalse(holds(holder.replace("import a.B;\n", ""), example), "its import is missing");
        assertFalse(holds(holder.replace("b.run(1, 2)", "b.run(1, 3)"), example), "its code differs");
        assertFalse(holds(holder.replace("b.run(1, 2);", "b.run(1, 2); b.stop();"), example),
                "the example is not one piece of the holder");
    }

    // The mechanism.

    /** Whether {@code holder} (a test source) holds {@code example}: its imports, and the rest as one piece. */
    static boolean holds(String holder, String example) {
        String text = normalise(holder);
        StringBuilder body = new StringBuilder();
        for (String line : example.split("\n", -1)) {
            String t = line.strip();
            if (t.startsWith("import ") && t.endsWith(";")) {
                if (!holder.lines().map(String::strip).toList().contains(t)) {
                    return false;
                }
            } else {
                body.append(line).append('\n');
            }
        }
        String code = normalise(body.toString());
        return !code.isEmpty() && text.contains(code);
    }

    /** Every run of whitespace as one space, trimmed. */
    static String normalise(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    static List<Example> readmeExamples(Path readme) throws IOException {
        return readmeExamples(readme, Files.readString(readme));
    }

    static List<Example> readmeExamples(Path file, String text) {
        List<Example> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals("```java")) {
                int start = i + 1;
                StringBuilder code = new StringBuilder();
                for (i = start; i < lines.length && !lines[i].strip().equals("```"); i++) {
                    code.append(lines[i]).append('\n');
                }
                found.add(new Example(file, start + 1, code.toString()));
            }
        }
        return found;
    }

    static List<Example> javadocExamples(Path source) {
        try {
            return javadocExamples(source, Files.readString(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Example> javadocExamples(Path file, String text) {
        List<Example> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("<pre>{@code")) {
                int start = i + 1;
                StringBuilder code = new StringBuilder();
                for (i = start; i < lines.length && !lines[i].contains("}</pre>"); i++) {
                    code.append(unstar(lines[i])).append('\n');
                }
                found.add(new Example(file, start + 1, code.toString()
                        .replace("&#64;", "@").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")));
            }
        }
        return found;
    }

    /** A javadoc line without its leading {@code " * "}. */
    private static String unstar(String line) {
        String s = line.stripLeading();
        if (s.startsWith("*")) {
            s = s.substring(1);
            return s.startsWith(" ") ? s.substring(1) : s;
        }
        return line;
    }

    private static String firstLine(String code) {
        return code.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("import ")).findFirst()
                .orElse("").strip();
    }

    /** The checkout's root: the nearest directory, from here up, with README.md and weft-lib. */
    static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("weft-lib"))) {
                return p;
            }
        }
        throw new IllegalStateException("no README.md with weft-lib beside it above " + Path.of("").toAbsolutePath());
    }

    /** weft-lib's {@code src/main/java} Java files (weft-bench's examples are not checked yet). */
    static List<Path> mainSources(Path repo) throws IOException {
        return javaFiles(repo, "/src/main/java/").stream().filter(p -> p.startsWith(repo.resolve("weft-lib"))).toList();
    }

    /** Every Java file under an {@code examples} directory of a module's {@code src/test/java}. */
    static List<Holder> holders(Path repo) throws IOException {
        List<Holder> holders = new ArrayList<>();
        for (Path p : javaFiles(repo, "/src/test/java/")) {
            if (p.getParent().getFileName().toString().equals("examples")) {
                holders.add(new Holder(p, Files.readString(p)));
            }
        }
        return holders;
    }

    private static List<Path> javaFiles(Path repo, String under) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repo)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("weft-")).sorted().toList()) {
                Path root = module.resolve(under.substring(1));
                if (!Files.isDirectory(root)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(f -> f.toString().endsWith(".java")).sorted().forEach(files::add);
                }
            }
        }
        return files;
    }
}
