package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.demo.FaultPlan;
import dev.ferry.demo.FlakyApi;
import dev.ferry.demo.FlakyStats;

/**
 * The 504 that succeeded later, from the outside: a flaky API that answers some writes 504 and applies them
 * {@value #LATE_MS} ms later, even over a newer version of their key (besides 5xx, 429, resets, timeouts and answers
 * lost after the record was stored), serves the packaged job, killed with SIGKILL at random moments of its delivery
 * several times and once as it re-sends a key it read back, then run again — after the due time of the keys it still
 * has to read back — until it exits 0 with no ambiguous key pending. Then the API holds the last version of every
 * key, each request applied once, though late writes landed over newer versions and ferry had to re-send.
 *
 * <p>The fault bites for sure: every file holds {@value #BURSTS} keys of its own written three times on consecutive
 * lines ({@link ChaosFiles#burstKey}), and the first write of each lands late, after the two newer ones; on top,
 * {@value #LATE_RATE} of all writes land late. Seeded: the seed is printed; rerun with {@code -Dlate.seed=N} (the
 * Idempotency-Keys, and so the rolls, also depend on the claim ids of the runs).
 */
class LateApplyIT {

    static final int FILES = 8;
    static final int RECORDS = 1600;
    static final int KEYS = 150;
    static final int BURSTS = 2;
    static final int KILLS = 4;
    static final long LATE_MS = 3000;
    static final double LATE_RATE = 0.03;
    /** Longer than {@link #LATE_MS}: by the time a key is read back, what may land late has landed. */
    static final Duration AMBIGUOUS_AFTER = Duration.ofSeconds(5);
    static final int RUNS = 12;
    /** The log line of a run that starts on a file: a new one, one a killed run left, or failed/. */
    static final Pattern SENDING = Pattern.compile("\\] (delivering|resuming|replaying) ");
    /** The log line of a run about to re-send a key it read back. */
    static final Pattern RESENDING = Pattern.compile("re-sending the last version");
    /** A kill lands this long at most after the run began to deliver. */
    static final int KILL_WITHIN_MS = 2500;

    @TempDir
    Path data;

    @RegisterExtension
    final FlakyApis apis = new FlakyApis();

    @BeforeEach
    void resetData() {
        TestData.reset(data);
    }

    @Test
    void writesLandingLateOverNewerOnes_killedAtRandom_areReadBackAndReSent_untilTheApiEqualsTheFiles()
            throws Exception {
        Seed seed = Seed.of("late", LateApplyIT.class);
        String rerun = seed.rerun();
        Random random = new Random(seed.value());
        Set<String> bursts = new HashSet<>();
        for (int file = 0; file < FILES; file++) {
            for (int burst = 0; burst < BURSTS; burst++) {
                bursts.add(ChaosFiles.burstKey(file, burst));
            }
        }
        FaultPlan plan = FaultPlan.builder().seed(seed.value()).error5xxRate(0.04).tooManyRequestsRate(0.01)
                .retryAfter(Duration.ofSeconds(1)).resetRate(0.02).slowRate(0.01).slowDelay(Duration.ofMillis(3000))
                .commitThen504Rate(0.03).lateApplyRate(LATE_RATE).lateApplyDelay(Duration.ofMillis(LATE_MS))
                .lateApplyKeys(bursts).latency(Duration.ofMillis(2)).build();
        Map<String, ObjectNode> expected = ChaosFiles.write(data, random, "late", FILES, RECORDS, KEYS, BURSTS);
        try (FlakyApi api = apis.start(plan)) {
            Map<String, String> env = ChaosFiles.env(data, api, 8);
            env.put("FERRY_VERIFY_AMBIGUOUS_AFTER", AMBIGUOUS_AFTER.toMillis() + "ms");
            env.put("FERRY_VERIFY_RATE", "500");
            // below the slow answers' 3 s, with more room than ChaosIT's 1.5 s for the stalls of a loaded machine:
            // an attempt given up while the API still holds it makes the next one a second request of its key
            env.put("FERRY_REQUEST_TIMEOUT", "2500ms");
            List<String> history = new ArrayList<>();
            killAtRandom(env, random, rerun, history);
            JsonNode last = runUntilSettled(env, rerun, history);
            String story = rerun + "\n" + String.join("\n", history);
            assertThat(settled(last)).as(story + "\nexit 0 and no ambiguous key pending within " + RUNS + " runs")
                    .isTrue();
            // no more writes will come: what still waits to land (the last version itself, confirmed) lands now
            int landedAfter = api.landLateWrites();

            ChaosFiles.assertApiEqualsFiles(expected, api, story);
            FlakyStats stats = api.stats();
            assertThat(stats.lateOverNewer()).as(story + "\nthe fault bit: an old version landed over a newer one")
                    .isPositive();
            ChaosFiles.assertAppliedOnceInOrder(stats, story);
            long resent = 0;
            for (String name : TestData.files(data, "reports")) {
                resent += report(name).get("ambiguous").get("resent").asLong();
            }
            ChaosFiles.assertReportsBalance(data, story);
            assertThat(resent).as(story + "\nkeys set right by re-sends, summed over the runs").isPositive();
            assertThat(TestData.files(data, "inbox")).as(story).isEmpty();
            assertThat(TestData.files(data, "processing")).as(story).isEmpty();
            assertThat(TestData.files(data, "failed")).as(story).isEmpty();
            System.out.println(story + "\nlate apply: " + stats.requests() + " requests for " + expected.size()
                    + " keys, " + stats.lateApplied() + " late writes (" + stats.lateOverNewer() + " over newer, "
                    + landedAfter + " landed after the last run), " + resent + " re-sent, "
                    + stats.versionsUnderTwoKeys() + " versions under two Idempotency-Keys; state equal");
        }
    }

    /**
     * {@value #KILLS} runs, each killed with SIGKILL at a random moment after it began to deliver, then one killed
     * while it re-sends a key it read back (if it gets there).
     */
    static void killAtRandom(Map<String, String> env, Random random, String rerun, List<String> history)
            throws Exception {
        for (int kill = 1; kill <= KILLS; kill++) {
            // from its first file on, whatever the JVM's start took on this machine: the kill lands mid-delivery
            kill(env, SENDING, Duration.ofSeconds(60), random.nextInt(KILL_WITHIN_MS), rerun, history);
        }
        kill(env, RESENDING, Duration.ofSeconds(120), random.nextInt(KILL_WITHIN_MS / 10), rerun, history);
    }

    /** Starts a run and kills it {@code wait} ms after a line matching {@code line} (or the timeout). */
    static void kill(Map<String, String> env, Pattern line, Duration timeout, long wait, String rerun,
            List<String> history) throws Exception {
        PackagedJar ferry = PackagedJar.start(env);
        boolean seen = awaitOutput(ferry, line, timeout);
        Thread.sleep(wait);
        if (ferry.isAlive()) {
            ferry.kill();
            history.add("killed " + wait + " ms after " + (seen ? "'" + line + "'" : timeout.toSeconds() + " s"));
        } else {
            int code = ferry.waitFor(5);
            history.add("ended by itself: exit " + code);
            assertThat(code).as(rerun + "\n" + ferry.output()).isIn(0, 75);
        }
    }

    /**
     * Runs to the end, each run once the keys the last one left to read back are due, until one exits 0 with none
     * pending (at most {@value #RUNS} runs).
     *
     * @return the last run's report
     */
    JsonNode runUntilSettled(Map<String, String> env, String rerun, List<String> history) throws Exception {
        JsonNode last = null;
        for (int run = 1; run <= RUNS && !settled(last); run++) {
            JsonNode nextDue = last == null ? null : last.path("ambiguous").path("nextDue");
            if (nextDue != null && nextDue.isTextual()) {
                // a run before then would leave them pending
                Instant due = Instant.parse(nextDue.asText());
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), due).toMillis() + 100));
            }
            Set<String> before = Set.copyOf(TestData.files(data, "reports"));
            PackagedJar ferry = PackagedJar.start(env);
            int code = ferry.waitFor(120);
            assertThat(code).as(rerun + "\n" + ferry.output()).isIn(0, 75);
            List<String> written = TestData.files(data, "reports").stream().filter(name -> !before.contains(name))
                    .toList();
            assertThat(written).as(rerun + "\none report per run\n" + ferry.output()).hasSize(1);
            last = report(written.get(0));
            history.add("run to the end in " + last.get("durationSeconds").asText() + " s: exit " + code
                    + ", ambiguous " + last.get("ambiguous"));
        }
        return last;
    }

    /** Waits until the run's output has a line matching {@code line}; false when it ended or time ran out first. */
    static boolean awaitOutput(PackagedJar ferry, Pattern line, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (ferry.isAlive() && System.nanoTime() < end) {
            if (line.matcher(ferry.output()).find()) {
                return true;
            }
            Thread.sleep(20);
        }
        return line.matcher(ferry.output()).find();
    }

    /** A run that exited 0 with no key left to read back. */
    static boolean settled(JsonNode report) {
        return report != null && report.get("exitCode").asInt() == 0
                && report.get("ambiguous").get("pending").asLong() == 0;
    }

    JsonNode report(String name) throws Exception {
        return Json.read(Files.readString(data.resolve("reports").resolve(name)));
    }
}
