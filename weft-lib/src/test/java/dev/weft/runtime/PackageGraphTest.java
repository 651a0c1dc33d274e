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
 * The {@code dev.weft} packages depend on each other without a cycle (DESIGN: dependencies point
 * downwards only). The graph is read from the compiled main classes' constant pools (every class,
 * field and method type a class names, generic signatures included), so it is what the JVM links,
 * not what the imports say. A cycle fails the test with its packages, every edge between them and
 * the classes that make each edge.
 */
class PackageGraphTest {

    /**
     * Edges that still close a cycle, each with why it is not yet broken. This list may only
     * shrink: an edge not here that closes a cycle fails the test, and so does an edge here that
     * no longer exists (remove it).
     */
    static final Map<String, String> ALLOWED = Map.of(
            "dev.weft.sched -> dev.weft.runtime",
            "Scheduler is built from runtime.Config and fills runtime.RuntimeStats and WorkerStats (public"
                    + " API records, which Worker fills too): moving them below sched changes the public API",
            "dev.weft.task -> dev.weft.sched",
            "Task's static methods (current, spawn, sleep, timeout, blocking, check) call Scheduler, TaskCell,"
                    + " Worker and Sleeps, while TaskCell implements Task and JoinHandle; the small interface"
                    + " between them would have to be public in the exported dev.weft.task (sched implements it),"
                    + " or sit in a package that names task's types and so closes a cycle of its own");

    private static final Pattern TYPE = Pattern.compile("dev/weft/((?:[a-z0-9_]+/)+)[A-Za-z0-9_$]+");

    @Test
    void thePackageGraphHasNoCycle() throws Exception {
        Map<String, Map<String, Set<String>>> edges = edges(mainClasses());
        assertTrue(edges.containsKey("dev.weft.runtime") && edges.containsKey("dev.weft.sched"),
                "the main classes were found: " + edges.keySet());
        Map<String, Map<String, Set<String>>> checked = new TreeMap<>();
        edges.forEach((from, tos) -> tos.forEach((to, classes) -> {
            if (!ALLOWED.containsKey(from + " -> " + to)) {
                checked.computeIfAbsent(from, k -> new TreeMap<>()).put(to, classes);
            }
        }));
        List<String> problems = new ArrayList<>();
        for (String allowed : ALLOWED.keySet()) {
            String[] p = allowed.split(" -> ");
            if (!edges.getOrDefault(p[0], Map.of()).containsKey(p[1])) {
                problems.add("the allowed edge " + allowed + " is gone: take it out of ALLOWED");
            }
        }
        for (Set<String> cycle : cycles(checked)) {
            StringBuilder b = new StringBuilder("a cycle among " + cycle + ", made by:");
            for (String from : cycle) {
                checked.getOrDefault(from, Map.of()).forEach((to, classes) -> {
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
