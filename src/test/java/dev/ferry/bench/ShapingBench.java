package dev.ferry.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.SourceFormat;
import dev.ferry.shape.CsvEmpty;
import dev.ferry.shape.FieldType;
import dev.ferry.shape.RecordShaper;
import dev.ferry.shape.ShapeException;
import dev.ferry.shape.ShapingRules;

/**
 * What shaping costs a record, for {@code bench/shaping.sh} (issue 20, item 6, at the library level): one thread
 * shapes N CSV rows ({@code id,qty,price,active,created,name}, as CsvRecordReader makes them) with
 * <ul>
 * <li>{@code none}: nothing configured (what an unconfigured run does: the key, and a scan for empty cells);</li>
 * <li>{@code fields}: 5 typed fields (integer, integer, decimal, boolean, datetime) and 2 renames;</li>
 * <li>{@code typical}: those and a JSLT nesting, {@code {"id": .id, "price": {"amount": .price, "currency": "EUR"}, * : .}}.</li>
 * </ul>
 * Each mapping is warmed up, then measured ROUNDS times over N records: wall time, this thread's CPU time and its
 * allocated bytes ({@code com.sun.management.ThreadMXBean}), per record. Prints one line per round and the median.
 * The rows come from a pool of 10 000 (shaping never modifies them), so reading and parsing are not counted.
 *
 * <pre>java -cp ... dev.ferry.bench.ShapingBench [N] [ROUNDS]</pre>
 */
public final class ShapingBench {

    static final String NESTING = "{\"id\": .id, \"price\": {\"amount\": .price, \"currency\": \"EUR\"}, * : .}";
    private static final int POOL = 10_000;

    private ShapingBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ObjectNode[] rows = rows();
        Path transform = Files.createTempFile("ferry-bench-", ".jslt");
        try {
            Files.writeString(transform, NESTING);
            Map<String, FieldType> types = Map.of("id", FieldType.INTEGER, "qty", FieldType.INTEGER, "price",
                    FieldType.DECIMAL, "active", FieldType.BOOLEAN, "created", FieldType.DATETIME);
            Map<String, String> renames = Map.of("qty", "quantity", "created", "created_at");
            List<String[]> mappings = List.of(new String[] { "none" }, new String[] { "fields" },
                    new String[] { "typical" });
            System.out.printf("shaping: %d CSV rows per round, %d rounds, one thread, %s %s, load %s%n", n, rounds,
                    System.getProperty("java.vm.name"), System.getProperty("java.version"), load());
            System.out.printf("  %-8s %10s %14s %14s%n", "mapping", "ns/record", "CPU ns/record", "bytes/record");
            for (String[] mapping : mappings) {
                String name = mapping[0];
                ShapingRules rules = switch (name) {
                    case "none" -> ShapingRules.none("id");
                    case "fields" -> new ShapingRules("id", types, CsvEmpty.NULL, renames, List.of(), Map.of(),
                            Optional.empty(), Optional.empty());
                    default -> new ShapingRules("id", types, CsvEmpty.NULL, renames, List.of(), Map.of(),
                            Optional.of(transform), Optional.empty());
                };
                RecordShaper shaper = RecordShaper.of(rules);
                run(shaper, rows, Math.max(n, 300_000)); // warm-up: JIT the whole path
                double[][] results = new double[rounds][];
                for (int r = 0; r < rounds; r++) {
                    long id = Thread.currentThread().getId();
                    long bytes = threads.getThreadAllocatedBytes(id);
                    long cpu = threads.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    long sink = run(shaper, rows, n);
                    results[r] = new double[] { (double) (System.nanoTime() - wall) / n,
                            (double) (threads.getCurrentThreadCpuTime() - cpu) / n,
                            (double) (threads.getThreadAllocatedBytes(id) - bytes) / n };
                    System.out.printf("  %-8s %10.0f %14.0f %14.0f   (round %d, check %d)%n", name, results[r][0],
                            results[r][1], results[r][2], r + 1, sink);
                }
                System.out.printf("  %-8s %10.0f %14.0f %14.0f   median%n", name, median(results, 0), median(results, 1),
                        median(results, 2));
            }
        } finally {
            Files.deleteIfExists(transform);
        }
    }

    /** Shapes n rows; returns a sum of the results so that nothing is optimized away. */
    private static long run(RecordShaper shaper, ObjectNode[] rows, int n) throws ShapeException {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            sink += shaper.shape(rows[i % rows.length], SourceFormat.CSV).record().size();
        }
        return sink;
    }

    private static ObjectNode[] rows() {
        ObjectNode[] rows = new ObjectNode[POOL];
        for (int i = 0; i < POOL; i++) {
            ObjectNode row = Json.MAPPER.createObjectNode();
            row.put("id", String.valueOf(100_000 + i));
            row.put("qty", String.valueOf(i % 50 + 1));
            row.put("price", (i % 1000) + "." + String.format("%02d", i % 100));
            row.put("active", i % 3 == 0 ? "false" : "true");
            row.put("created", String.format("2024-%02d-%02dT%02d:%02d:00Z", i % 12 + 1, i % 28 + 1, i % 24, i % 60));
            row.put("name", "customer " + i);
            rows[i] = row;
        }
        return rows;
    }

    private static double median(double[][] results, int column) {
        double[] values = Arrays.stream(results).mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    private static String load() {
        try {
            return String.join(" ", new ArrayList<>(Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")))
                    .subList(0, 3));
        } catch (Exception e) {
            return "unknown";
        }
    }
}
