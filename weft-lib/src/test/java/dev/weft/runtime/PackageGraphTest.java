package dev.weft.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@code dev.weft} packages depend on each other without a cycle, and only downwards in the
 * layer map (DESIGN: dependencies point downwards only). The graph is read from the compiled main
 * classes' constant pools (every class, field and method type a class names, generic signatures
 * included), so it is what the JVM links, not what the imports say. A cycle fails the test with
 * its packages, every edge between them and the classes that make each edge; so does an edge that
 * points up the map, and a package the map does not place.
 */
class PackageGraphTest {

    /**
     * The layers, top first (DESIGN.md's layer map): a package may name packages of its own layer
     * (without a cycle) and of the layers below it, never one above. A new package is placed here.
     */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("dev.weft.http"),
            Set.of("dev.weft.net", "dev.weft.fs", "dev.weft.ioqueue"),
            Set.of("dev.weft.runtime"),
            Set.of("dev.weft.actor"),
            Set.of("dev.weft.io"),
            Set.of("dev.weft.sched"),
            Set.of("dev.weft.time"),
            Set.of("dev.weft.task"),
            Set.of("dev.weft.task.host"),
            Set.of("dev.weft.device", "dev.weft.uring"),
            Set.of("dev.weft.idle"));

    private static final Pattern TYPE = Pattern.compile("dev/weft/((?:[a-z0-9_]+/)+)[A-Za-z0-9_$]+");

    @Test
    void thePackageGraphHasNoCycle() throws Exception {
        Map<String, Map<String, Set<String>>> edges = edges(mainClasses());
        assertTrue(edges.containsKey("dev.weft.runtime") && edges.containsKey("dev.weft.sched"),
                "the main classes were found: " + edges.keySet());
        List<String> problems = new ArrayList<>();
        for (Set<String> cycle : cycles(edges)) {
            StringBuilder b = new StringBuilder("a cycle among " + cycle + ", made by:");
            for (String from : cycle) {
                edges.getOrDefault(from, Map.of()).forEach((to, classes) -> {
                    if (cycle.contains(to)) {
                        b.append("\n    ").append(from).append(" -> ").append(to).append(" by ").append(classes);
                    }
                });
            }
            problems.add(b.toString());
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void everyEdgePointsDownTheLayerMap() throws Exception {
        List<String> problems = upwardEdges(edges(mainClasses()));
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void anEdgeUpTheMapIsFound() {
        Map<String, Map<String, Set<String>>> g = Map.of(
                "dev.weft.sched", Map.of("dev.weft.runtime", Set.of("sched.Scheduler -> runtime.Config")),
                "dev.weft.runtime", Map.of("dev.weft.sched", Set.of("runtime.Weft -> sched.Scheduler")),
                "dev.weft.brandnew", Map.of("dev.weft.idle", Set.of("brandnew.X -> idle.Backoff")));
        List<String> problems = upwardEdges(g);
        assertTrue(problems.contains("dev.weft.sched -> dev.weft.runtime points up the layer map, by"
                + " [sched.Scheduler -> runtime.Config]"), problems.toString());
        assertTrue(problems.contains("dev.weft.brandnew is in no layer: place it in LAYERS (and in DESIGN.md's"
                + " layer map)"), problems.toString());
        assertTrue(problems.size() == 2, problems.toString());
    }

    /** Each edge of {@code g} that points up {@link #LAYERS}, and each package the map does not place. */
    static List<String> upwardEdges(Map<String, Map<String, Set<String>>> g) {
        Map<String, Integer> rank = new TreeMap<>();
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String p : LAYERS.get(i)) {
                rank.put(p, i);
            }
        }
        Set<String> unplaced = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        new TreeMap<>(g).forEach((from, tos) -> new TreeMap<>(tos).forEach((to, classes) -> {
            Integer f = rank.get(from);
            Integer t = rank.get(to);
            if (f == null) {
                unplaced.add(from);
            }
            if (t == null) {
                unplaced.add(to);
            }
            if (f != null && t != null && t < f) {
                problems.add(from + " -> " + to + " points up the layer map, by " + new TreeSet<>(classes));
            }
        }));
        for (String p : unplaced) {
            problems.add(p + " is in no layer: place it in LAYERS (and in DESIGN.md's layer map)");
        }
        return problems;
    }

    /** The directory (or jar) the main classes were loaded from. */
    private static Path mainClasses() throws URISyntaxException {
        return Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Package -> package it names -> the classes (from -> to) that name it. */
    static Map<String, Map<String, Set<String>>> edges(Path root) throws IOException {
        Map<String, Map<String, Set<String>>> edges = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".class") && !p.endsWith("module-info.class")).toList();
        }
        for (Path f : files) {
            ClassModel c = ClassFile.of().parse(Files.readAllBytes(f));
            String self = c.thisClass().asInternalName();
            String from = packageOf(self);
            if (from == null) {
                continue;
            }
            for (PoolEntry e : c.constantPool()) {
                String text = e instanceof ClassEntry ce ? ce.asInternalName()
                        : e instanceof Utf8Entry u ? u.stringValue() : null;
                if (text == null) {
                    continue;
                }
                Matcher m = TYPE.matcher(text);
                while (m.find()) {
                    String to = packageOf(m.group());
                    if (to != null && !to.equals(from)) {
                        edges.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
                                .add(simple(self) + " -> " + simple(m.group()));
                    }
                }
            }
        }
        return edges;
    }

    private static String packageOf(String internalName) {
        int i = internalName.lastIndexOf('/');
        return internalName.startsWith("dev/weft/") && i > 0 ? internalName.substring(0, i).replace('/', '.') : null;
    }

    private static String simple(String internalName) {
        return internalName.substring("dev/weft/".length()).replace('/', '.');
    }

    /** The packages of each strongly connected component of more than one package (Tarjan): each holds a cycle. */
    static List<Set<String>> cycles(Map<String, Map<String, Set<String>>> g) {
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        List<String> stack = new ArrayList<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        int[] next = {0};
        Set<String> nodes = new TreeSet<>(g.keySet());
        g.values().forEach(m -> nodes.addAll(m.keySet()));
        for (String n : nodes) {
            if (!index.containsKey(n)) {
                connect(n, g, index, low, stack, onStack, components, next);
            }
        }
        components.removeIf(c -> c.size() < 2);
        return components;
    }

    private static void connect(String v, Map<String, Map<String, Set<String>>> g, Map<String, Integer> index,
                                Map<String, Integer> low, List<String> stack, Set<String> onStack,
                                List<Set<String>> components, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.add(v);
        onStack.add(v);
        for (String w : g.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, g, index, low, stack, onStack, components, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> comp = new TreeSet<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                onStack.remove(w);
                comp.add(w);
            } while (!w.equals(v));
            components.add(comp);
        }
    }
}
