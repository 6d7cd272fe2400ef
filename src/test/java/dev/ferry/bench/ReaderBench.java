package dev.ferry.bench;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import dev.ferry.ingest.ReaderSettings;
import dev.ferry.ingest.RecordParseException;
import dev.ferry.ingest.RecordReader;
import dev.ferry.ingest.SourceFormat;

/**
 * What reading costs per record, per format: CPU time and bytes allocated on the reading thread while a reader goes
 * through a file of typical records (bench/readers.sh prints it; BENCHMARKS.md records it). Both are taken from the
 * thread's own counters, so other load on the machine moves the CPU figure little and the allocation figure not at
 * all.
 *
 * <pre>java -cp ... dev.ferry.bench.ReaderBench [RECORDS] [ROUNDS] [FOLDER]</pre>
 */
public final class ReaderBench {

    private static final String[] CITIES = { "Lyon", "Zürich", "São Paulo", "Berlin, Mitte", "Kraków" };

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path folder = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("ferry-reader-bench");
        Path csv = folder.resolve("records.csv");
        Path ndjson = folder.resolve("records.ndjson");
        try (BufferedWriter c = Files.newBufferedWriter(csv); BufferedWriter n = Files.newBufferedWriter(ndjson)) {
            c.write("id,name,city,amount,note\n");
            for (int i = 1; i <= records; i++) {
                String city = CITIES[i % CITIES.length];
                String note = i % 10 == 0 ? "said \"\"hi\"\", then left" : i % 50 == 1 ? "two\nlines" : "";
                c.write(i + ",name-" + i + "," + (city.contains(",") ? "\"" + city + "\"" : city) + "," + (i % 997)
                        + ".50," + (note.isEmpty() ? "" : "\"" + note + "\"") + "\n");
                n.write("{\"id\":\"" + i + "\",\"name\":\"name-" + i + "\",\"city\":\"" + city + "\",\"amount\":\""
                        + (i % 997) + ".50\",\"note\":\"" + note.replace("\"\"", "\\\"").replace("\n", "\\n")
                        + "\"}\n");
            }
        }
        ReaderSettings settings = new ReaderSettings("id", 1 << 20, 512, (byte) ',');
        measure("csv", SourceFormat.CSV, csv, settings, records, rounds);
        measure("ndjson", SourceFormat.NDJSON, ndjson, settings, records, rounds);
        Files.delete(csv);
        Files.delete(ndjson);
    }

    private static void measure(String name, SourceFormat format, Path file, ReaderSettings settings, int records,
            int rounds) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] cpu = new long[rounds];
        long[] allocated = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            long allocated0 = threads.getCurrentThreadAllocatedBytes();
            long read = 0;
            try (RecordReader reader = format.open(file, settings, "claim-1", 0, 0)) {
                while (true) {
                    try {
                        if (reader.read() == null) {
                            break;
                        }
                        read++;
                    } catch (RecordParseException unexpected) {
                        throw new IllegalStateException("the bench file has a bad row: " + unexpected);
                    }
                }
            }
            cpu[round] = threads.getCurrentThreadCpuTime() - cpu0;
            allocated[round] = threads.getCurrentThreadAllocatedBytes() - allocated0;
            if (read != records) {
                throw new IllegalStateException(name + ": read " + read + " records of " + records);
            }
        }
        // the first rounds warm the JIT up: the best of the later ones is the steady cost
        long bestCpu = Arrays.stream(cpu, rounds / 2, rounds).min().orElseThrow();
        long[] lateAllocated = Arrays.copyOfRange(allocated, rounds / 2, rounds);
        Arrays.sort(lateAllocated);
        System.out.printf("READER %s: %d records, %d bytes; CPU %.0f ns/record (best of rounds %d-%d), "
                + "allocated %.0f bytes/record (median)%n", name, records, Files.size(file),
                bestCpu / (double) records, rounds / 2 + 1, rounds, lateAllocated[lateAllocated.length / 2] / (double) records);
    }
}
