package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments while {@link DeliveredIndexCrashChild} writes: after every kill the index (a) opens,
 * (b) holds for every writer exactly the versions of some prefix of its deliveries, so never a version that was
 * not delivered nor a torn one, and (c) that prefix reaches at least what the child reported committed. The next
 * child goes on from the reopened prefixes, so later rounds write over a file that was already killed mid-write.
 */
class DeliveredIndexCrashTest {

    private static final int ROUNDS = 8;

    @TempDir
    Path state;

    @Test
    void killedAtRandomMoments_opensEveryTime_holdingAPrefixOfTheDeliveries_atLeastWhatWasCommitted() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long[] from = new long[DeliveredIndexCrashChild.WRITERS];
        int roundsWithCommits = 0;
        for (int round = 0; round < ROUNDS; round++) {
            // every third kill at a random moment from the start (often while the child starts or opens the index),
            // the others at a random moment after its first commit
            boolean fromStart = round % 3 == 0;
            long[] committed = runAndKill(from, fromStart, fromStart ? random.nextInt(1500) : random.nextInt(1000));
            try (DeliveredIndex index = DeliveredIndex.open(state)) { // (a)
                for (int t = 0; t < from.length; t++) {
                    long prefix = prefixHeld(index, t);
                    String context = "seed " + seed + ", round " + round + ", writer " + t;
                    assertThat(prefix).as(context + ": (c) what was committed").isGreaterThanOrEqualTo(committed[t]);
                    assertThat(prefix).as(context + ": nothing lost from earlier rounds")
                            .isGreaterThanOrEqualTo(from[t]);
                    from[t] = prefix;
                }
            }
            if (committed[0] > 0) {
                roundsWithCommits++;
            }
        }
        assertThat(roundsWithCommits).as("kills that came after some commits (seed %d)", seed)
                .isGreaterThanOrEqualTo(ROUNDS * 2 / 3);
        assertThat(Arrays.stream(from).sum()).isPositive();
    }

    /**
     * Starts a child going on from {@code from}, kills it {@code millis} after its start or after its first commit;
     * what it last reported committed.
     */
    private long[] runAndKill(long[] from, boolean fromStart, long millis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                DeliveredIndexCrashChild.class.getName(), state.toString()));
        for (long f : from) {
            command.add(Long.toString(f));
        }
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        AtomicReference<String> lastCommitted = new AtomicReference<>();
        CountDownLatch firstCommit = new CountDownLatch(1);
        StringBuilder other = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("committed ")) {
                        lastCommitted.set(line);
                        if (allBeyond(counts(line), from)) {
                            firstCommit.countDown(); // every writer got going (the first ones load classes)
                        }
                    } else {
                        other.append(line).append('\n');
                    }
                }
            } catch (Exception ignored) {
                // the pipe breaks when the child is killed
            }
        });
        reader.start();
        if (!fromStart) {
            assertThat(firstCommit.await(60, TimeUnit.SECONDS))
                    .as("every writer's deliveries get committed:\n%s", other).isTrue();
        }
        boolean exited = child.waitFor(millis, TimeUnit.MILLISECONDS);
        assertThat(exited).as("the child died on its own:\n%s", other).isFalse();
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
        reader.join(5_000);
        String last = lastCommitted.get();
        return last == null ? new long[from.length] : counts(last);
    }

    private static long[] counts(String committedLine) {
        return Arrays.stream(committedLine.substring("committed ".length()).split(" ")).mapToLong(Long::parseLong)
                .toArray();
    }

    private static boolean allBeyond(long[] counts, long[] from) {
        for (int t = 0; t < from.length; t++) {
            if (counts[t] <= from[t]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The number of events of writer t that the index holds, after checking that it holds exactly the state after
     * that many: every key at the version of its last event in the prefix, with that version's hash, idempotency key
     * and record, and no key the prefix did not reach.
     */
    private static long prefixHeld(DeliveredIndex index, int t) {
        int keys = DeliveredIndexCrashChild.KEYS;
        long prefix = 0;
        for (int k = 0; k < keys; k++) {
            Optional<DeliveredIndex.Entry> entry = index.get("t" + t + "-k" + k);
            if (entry.isPresent()) {
                long version = Long.parseLong(entry.get().record().get("v").asText());
                prefix = Math.max(prefix, version * keys + k + 1);
            }
        }
        for (int k = 0; k < keys; k++) {
            String key = "t" + t + "-k" + k;
            Optional<DeliveredIndex.Entry> entry = index.get(key);
            if (prefix <= k) {
                assertThat(entry).as("%s was not delivered within the prefix %d", key, prefix).isEmpty();
                continue;
            }
            String version = DeliveredIndexCrashChild.version((prefix - 1 - k) / keys * keys + k);
            assertThat(entry).as("%s within the prefix %d", key, prefix).isPresent();
            assertThat(entry.get().record().get("v").asText()).as("%s in the prefix %d", key, prefix)
                    .isEqualTo(version);
            assertThat(entry.get().contentHash()).isEqualTo(DeliveredIndexTest.hash(key, version));
            assertThat(entry.get().idempotencyKey()).isEqualTo(DeliveredIndexTest.idempotencyKey(key, version));
        }
        return prefix;
    }
}
