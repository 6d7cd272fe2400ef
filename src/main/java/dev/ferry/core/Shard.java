package dev.ferry.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.IntStream;

import dev.ferry.config.FerryConfig;

/**
 * Which part of the keys this process delivers ({@code ferry.shard.count} / {@code ferry.shard.index},
 * docs/reference.md, Shards): the keys whose {@link #of(String, int) shard} is {@code index}. A key always lands in the
 * same shard for a given count, so one process sends all the records of a key, in order, and per-key order holds across
 * shards.
 * <p>
 * The hash is written down in docs/reference.md so that outside tools can compute a key's shard: the first 8 bytes
 * of SHA-256 of the key's UTF-8 bytes, read as an unsigned big-endian number, modulo the count. SHA-256 rather than
 * a faster hash: it is stable across languages and releases, and it spreads keys that differ in one character.
 * Immutable.
 *
 * @param index this process's shard, from 0 to {@code count - 1}
 * @param count how many shards share the data dir; 1 is the unsharded run, with the layout of earlier releases
 */
public record Shard(int index, int count) {

    /** One process delivers every key. */
    public static final Shard SINGLE = new Shard(0, 1);

    /** A digest per thread: every record of every file asks. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });

    /** The shard the configuration names, not yet checked ({@link #check()}). */
    public static Shard of(FerryConfig config) {
        return new Shard(config.shard().index(), config.shard().count());
    }

    /**
     * @throws ConfigurationError when the count is below 1 or the index is not one of the count's (exit 78)
     */
    public Shard check() {
        if (count < 1) {
            throw new ConfigurationError("ferry.shard.count", "is " + count + ": at least 1 process must deliver");
        }
        if (index < 0 || index >= count) {
            throw new ConfigurationError("ferry.shard.index", "is " + index + ", but with ferry.shard.count " + count
                    + " the shards are numbered 0 to " + (count - 1)
                    + " (the Job's JOB_COMPLETION_INDEX, unless set)");
        }
        return this;
    }

    /** True when this is the only process: the data dir's layout is that of an unsharded run. */
    public boolean single() {
        return count == 1;
    }

    /** Every shard of this count, by index: {@link #SINGLE} alone when unsharded. */
    public List<Shard> all() {
        return IntStream.range(0, count).mapToObj(i -> new Shard(i, count)).toList();
    }

    /** Whether this process delivers the records of {@code key}. */
    public boolean owns(String key) {
        return single() || of(key, count) == index;
    }

    /**
     * Input that has no key (a line that is not a record) goes to rejected/ once, from shard 0, so that
     * the shards together account for every line exactly once.
     */
    public boolean ownsUnkeyed() {
        return index == 0;
    }

    /** The shard of {@code key} among {@code count}: the first 8 bytes of SHA-256(UTF-8 key), unsigned, mod count. */
    public static int of(String key, int count) {
        MessageDigest digest = SHA_256.get();
        byte[] hash = digest.digest(key.getBytes(StandardCharsets.UTF_8));
        long first8 = ByteBuffer.wrap(hash, 0, Long.BYTES).getLong();
        return (int) Long.remainderUnsigned(first8, count);
    }

    /** {@code shard-<index>-of-<count>}: the name of this shard's folders and of its part of run ids. */
    public String name() {
        return "shard-" + index + "-of-" + count;
    }

    /**
     * A run id of this shard: as given when unsharded, else with {@code -<name>} appended, so that the reports and
     * the rejected/ files of shards that start in the same millisecond never share a name.
     */
    public String runId(String runId) {
        return single() ? runId : runId + "-" + name();
    }

    @Override
    public String toString() {
        return single() ? "unsharded" : name();
    }
}
