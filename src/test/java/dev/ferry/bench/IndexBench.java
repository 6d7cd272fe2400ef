package dev.ferry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import dev.ferry.state.DeliveredIndex;

/**
 * The measurements behind the delivered index's store (bench/index.sh runs one candidate per JVM):
 *
 * <pre>
 * java -Xmx160m -Xmn24m -XX:+UseG1GC -cp ... dev.ferry.bench.IndexBench CANDIDATE KEYS DIR
 * </pre>
 *
 * CANDIDATE: {@code none} (a baseline that stores nothing), {@code index} (the shipped {@link DeliveredIndex}),
 * {@code mvstore-default} (the same B-tree with MVStore's defaults: 16 KiB uncompressed pages, a background writer
 * committing every second, freed space kept 45 s), or {@code log+mmap} (an append-only log of versions plus a
 * memory-mapped open-addressing hash table of key fingerprint → log offset: the shape of the old ledger with an
 * index; it cannot iterate in key order). Phases, as a run uses the index: insert every key once in a shuffled order with a commit every 200 ms of
 * work; random gets; a second pass over every key in a shuffled order that asks {@code unchanged} and updates 1 %;
 * then peak RSS (VmHWM), heap used and file size. Wall times depend on the machine's load; the CPU seconds of the
 * process (all its threads) much less. Prints one {@code result} line of tab-separated values.
 */
public final class IndexBench {

    private static final HexFormat HEX = HexFormat.of();
    private static final long COMMIT_NANOS = 200_000_000L;

    /** What the phases need of a store. */
    interface Store extends AutoCloseable {
        boolean unchanged(String key, byte[] hash) throws IOException;

        void delivered(String key, byte[] hash, String idempotencyKey, byte[] json) throws IOException;

        void commit() throws IOException;

        @Override
        void close() throws IOException;
    }

    private IndexBench() {
    }

    public static void main(String[] args) throws Exception {
        String candidate = args[0];
        int keys = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        Files.createDirectories(dir);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");

        long insertNanos;
        long insertCpuNanos;
        long commits = 0;
        try (Store store = open(candidate, dir)) {
            long start = System.nanoTime();
            long startCpu = cpuNanos();
            long lastCommit = start;
            for (long i = 0; i < keys; i++) {
                int n = shuffled(i, keys, 0x9E3779B1L);
                deliver(store, sha, n, 1);
                if (System.nanoTime() - lastCommit >= COMMIT_NANOS) {
                    store.commit();
                    commits++;
                    lastCommit = System.nanoTime();
                }
                if ((i + 1) % 1_000_000 == 0) {
                    System.out.printf(Locale.ROOT, "progress\t%d\t%.1f\t%.1f\t%d\t%.0f%n", i + 1,
                            (System.nanoTime() - start) / 1e9, (cpuNanos() - startCpu) / 1e9, vmHwmKib() / 1024,
                            size(dir) / 1048576.0);
                }
            }
            store.commit();
            insertNanos = System.nanoTime() - start;
            insertCpuNanos = cpuNanos() - startCpu;
        }

        long gets = Math.min(keys, 1_000_000);
        long getNanos;
        long secondPassNanos;
        long secondPassCpuNanos;
        long unchanged = 0;
        try (Store store = open(candidate, dir)) {
            long start = System.nanoTime();
            long found = 0;
            for (long i = 0; i < gets; i++) {
                int n = shuffled(i * 7919 % keys, keys, 0x85EBCA77L);
                if (store.unchanged(key(n), hash(sha, n, 1))) {
                    found++;
                }
            }
            getNanos = System.nanoTime() - start;
            if (found != gets) {
                throw new AssertionError("only " + found + " of " + gets + " versions found");
            }

            start = System.nanoTime();
            long startCpu = cpuNanos();
            long lastCommit = start;
            for (long i = 0; i < keys; i++) {
                int n = shuffled(i, keys, 0xC2B2AE3DL);
                int version = n % 100 == 0 ? 2 : 1;
                if (store.unchanged(key(n), hash(sha, n, version))) {
                    unchanged++;
                } else {
                    deliver(store, sha, n, version);
                }
                if (System.nanoTime() - lastCommit >= COMMIT_NANOS) {
                    store.commit();
                    lastCommit = System.nanoTime();
                }
            }
            store.commit();
            secondPassNanos = System.nanoTime() - start;
            secondPassCpuNanos = cpuNanos() - startCpu;
        }
        long reopenNanos;
        try (Store store = open(candidate, dir)) {
            long start = System.nanoTime();
            store.unchanged(key(keys / 2), hash(sha, keys / 2, keys / 2 % 100 == 0 ? 2 : 1));
            reopenNanos = System.nanoTime() - start;
        }
        long bytes = size(dir);
        Runtime runtime = Runtime.getRuntime();
        System.out.printf(Locale.ROOT,
                "result\t%s\t%d\t%.1f\t%.1f\t%.0f\t%d\t%.0f\t%.1f\t%.1f\t%d\t%.0f\t%d\t%d\t%.0f%n", candidate, keys,
                insertNanos / 1e9, insertCpuNanos / 1e9, keys / (insertNanos / 1e9), commits,
                gets / (getNanos / 1e9), secondPassNanos / 1e9, secondPassCpuNanos / 1e9, keys - unchanged,
                reopenNanos / 1e6, vmHwmKib() / 1024, (runtime.totalMemory() - runtime.freeMemory()) >> 20,
                bytes / 1048576.0);
    }

    private static void deliver(Store store, MessageDigest sha, int n, int version) throws IOException {
        byte[] json = json(n, version);
        byte[] hash = hash(sha, n, version);
        store.delivered(key(n), hash, HEX.formatHex(sha.digest(hash)), json);
    }

    /** A bijection of [0, keys): the order of a file whose keys are not sorted. */
    static int shuffled(long i, int keys, long multiplier) {
        long m = multiplier;
        while (gcd(m, keys) != 1) {
            m++;
        }
        return (int) ((i * m + 12345) % keys);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    static String key(int n) {
        return String.format(Locale.ROOT, "cust-%010d", n);
    }

    /** About 120 bytes, as a customer record. */
    static byte[] json(int n, int version) {
        return String.format(Locale.ROOT,
                "{\"id\":\"cust-%010d\",\"name\":\"customer %d\",\"email\":\"c%d@example.com\",\"amount\":\"%d.%02d\","
                        + "\"currency\":\"EUR\",\"v\":%d}",
                n, n, n, n % 10000, n % 100, version).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hash(MessageDigest sha, int n, int version) {
        sha.update(key(n).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        return sha.digest(json(n, version));
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** CPU time of the whole process (all threads, GC and JIT included): what the work costs whatever the load. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long vmHwmKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static Store open(String candidate, Path dir) throws IOException {
        return switch (candidate) {
            case "index" -> new Shipped(DeliveredIndex.open(dir));
            case "mvstore-default" -> new Defaults(dir.resolve("default.mv"));
            case "log+mmap" -> new LogAndHash(dir);
            case "none" -> new Nothing();
            default -> throw new IllegalArgumentException("unknown candidate " + candidate);
        };
    }

    private record Shipped(DeliveredIndex index) implements Store {
        @Override
        public boolean unchanged(String key, byte[] hash) {
            return index.unchanged(key, hash);
        }

        @Override
        public void delivered(String key, byte[] hash, String idempotencyKey, byte[] json) throws IOException {
            index.delivered(key, hash, idempotencyKey, json);
        }

        @Override
        public void commit() throws IOException {
            index.commit();
        }

        @Override
        public void close() throws IOException {
            index.close();
        }
    }

    /**
     * Keeps nothing and answers "unchanged" to everything: the cost of making the records and their hashes,
     * and the JVM's own footprint, to subtract from the others.
     */
    private static final class Nothing implements Store {
        @Override
        public boolean unchanged(String key, byte[] hash) {
            return true;
        }

        @Override
        public void delivered(String key, byte[] hash, String idempotencyKey, byte[] json) {
            // kept nowhere
        }

        @Override
        public void commit() {
            // nothing to make durable
        }

        @Override
        public void close() {
            // nothing open
        }
    }

    /** The same B-tree and page cache with MVStore's defaults otherwise; value = hash, raw idempotency key, record. */
    private static final class Defaults implements Store {
        private final MVStore store;
        private final MVMap<String, byte[]> map;

        Defaults(Path file) {
            store = new MVStore.Builder().fileName(file.toString()).cacheSize(8).open();
            map = store.openMap("delivered", new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE)
                    .valueType(ByteArrayDataType.INSTANCE));
        }

        @Override
        public boolean unchanged(String key, byte[] hash) {
            byte[] value = map.get(key);
            return value != null && Arrays.equals(value, 0, 32, hash, 0, 32);
        }

        @Override
        public void delivered(String key, byte[] hash, String idempotencyKey, byte[] json) {
            map.put(key, ByteBuffer.allocate(64 + json.length).put(hash).put(HEX.parseHex(idempotencyKey)).put(json)
                    .array());
        }

        @Override
        public void commit() {
            store.commit();
            store.sync();
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /**
     * An append-only log of versions ({@code keyLength key hash idempotencyKey jsonLength json}) and a
     * memory-mapped table of 16-byte slots (64-bit key fingerprint, log offset + 1), linear probing, sized for
     * 10 million keys at a load of 0.6. A get reads the log at the slot's offset to compare the key.
     */
    private static final class LogAndHash implements Store {
        private static final int SLOTS = 1 << 24;
        private final FileChannel log;
        private final FileChannel tableFile;
        private final MappedByteBuffer table;
        private final ByteBuffer pending = ByteBuffer.allocate(1 << 20);
        private long logSize;

        LogAndHash(Path dir) throws IOException {
            log = FileChannel.open(dir.resolve("versions.log"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            logSize = log.size();
            tableFile = FileChannel.open(dir.resolve("table.hash"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            table = tableFile.map(FileChannel.MapMode.READ_WRITE, 0, (long) SLOTS * 16);
        }

        private static long fingerprint(String key) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < key.length(); i++) {
                h = (h ^ key.charAt(i)) * 0x100000001b3L;
            }
            h ^= h >>> 29;
            return h == 0 ? 1 : h;
        }

        /** The slot of the key, or of the empty slot where it would go. */
        private int slot(String key, long fingerprint) throws IOException {
            int slot = (int) (fingerprint & (SLOTS - 1));
            while (true) {
                long stored = table.getLong(slot * 16);
                if (stored == 0 || stored == fingerprint && key.equals(keyAt(table.getLong(slot * 16 + 8) - 1))) {
                    return slot;
                }
                slot = (slot + 1) & (SLOTS - 1);
            }
        }

        private String keyAt(long offset) throws IOException {
            ByteBuffer head = read(offset, 2);
            int length = head.getShort() & 0xffff;
            return StandardCharsets.UTF_8.decode(read(offset + 2, length)).toString();
        }

        private ByteBuffer read(long offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            if (offset >= logSize - pending.position()) { // still in the write buffer
                int at = (int) (offset - (logSize - pending.position()));
                buffer.put(0, pending, at, length);
                return buffer;
            }
            while (buffer.hasRemaining()) {
                log.read(buffer, offset + buffer.position());
            }
            return buffer.flip();
        }

        @Override
        public boolean unchanged(String key, byte[] hash) throws IOException {
            long fingerprint = fingerprint(key);
            int slot = slot(key, fingerprint);
            long stored = table.getLong(slot * 16);
            if (stored == 0) {
                return false;
            }
            long offset = table.getLong(slot * 16 + 8) - 1;
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            ByteBuffer storedHash = read(offset + 2 + keyBytes.length, 32);
            return storedHash.equals(ByteBuffer.wrap(hash));
        }

        @Override
        public void delivered(String key, byte[] hash, String idempotencyKey, byte[] json) throws IOException {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            int length = 2 + keyBytes.length + 64 + 4 + json.length;
            if (pending.remaining() < length) {
                flush();
            }
            long offset = logSize;
            pending.putShort((short) keyBytes.length).put(keyBytes).put(hash).put(HEX.parseHex(idempotencyKey))
                    .putInt(json.length).put(json);
            logSize += length;
            long fingerprint = fingerprint(key);
            int slot = slot(key, fingerprint);
            table.putLong(slot * 16, fingerprint);
            table.putLong(slot * 16 + 8, offset + 1);
        }

        private void flush() throws IOException {
            pending.flip();
            long at = logSize - pending.remaining();
            while (pending.hasRemaining()) {
                at += log.write(pending, at);
            }
            pending.clear();
        }

        @Override
        public void commit() throws IOException {
            flush();
            log.force(false);
            table.force();
        }

        @Override
        public void close() throws IOException {
            commit();
            log.close();
            tableFile.close();
        }
    }
}
