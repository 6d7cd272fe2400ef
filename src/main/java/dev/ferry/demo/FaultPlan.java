package dev.ferry.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What {@link FlakyApi} does wrong, and how often. Rates are shares (0..1) of one seeded roll per write,
 * taken in the order reset, 5xx, 429, slow, commit-then-504, late apply, so together they may not exceed 1. The roll
 * depends only on the seed, the request's Idempotency-Key and how many requests carried that key before,
 * so a seed reproduces a run whatever the interleaving of concurrent requests.
 *
 * @param seed                seeds every roll
 * @param error5xxRate        answer 500, 502, 503 or 504 without applying
 * @param tooManyRequestsRate answer 429 without applying
 * @param retryAfter          the {@code Retry-After} of a 429 as sent (whole seconds, or anything to test a client);
 *                            empty sends none
 * @param resetRate           close the connection without an answer
 * @param slowRate            hold the request for {@code slowDelay}, then answer 504 without applying
 * @param slowDelay           longer than the client's timeout, so that the client gives up first
 * @param commitThen504Rate   apply the record and remember its Idempotency-Key, then answer 504
 * @param latency             added to every answer of {@code /records}
 * @param outages             windows, as offsets from the server's start, in which every request gets the window's
 *                            status (503, or a gateway's 520–527 with an HTML page)
 * @param rejectKey           record keys refused with 422
 * @param unauthorized        every request of {@code /records} gets 401
 * @param idempotent          replay remembered answers for known Idempotency-Keys; {@code false} applies every
 *                            request again, as an API without idempotency would
 * @param misrouted           every request of {@code /records} gets 404 with an HTML page, as a wrong base URL does
 * @param redirect            every request of {@code /records} gets 301 to another place (ferry never follows)
 * @param errorBodyBytes      error answers carry a body this large (0: a short JSON body)
 * @param poisonKey           record keys whose writes always get 500, in every run
 * @param lateApplyRate       answer 504 at once and apply the write {@code lateApplyDelay} later, even after a newer
 *                            write of its key: a gateway gave up while the API kept the request queued. The API's
 *                            idempotency only learns of it when it lands, so a retry with its Idempotency-Key before
 *                            that is applied as a new request
 * @param lateApplyDelay      how much later a late write lands
 * @param lateApplyKey        record keys whose first write lands late, whatever the roll
 */
public record FaultPlan(long seed, double error5xxRate, double tooManyRequestsRate, Optional<String> retryAfter,
        double resetRate, double slowRate, Duration slowDelay, double commitThen504Rate, Duration latency,
        List<Outage> outages, Predicate<String> rejectKey, boolean unauthorized, boolean idempotent, boolean misrouted,
        boolean redirect, int errorBodyBytes, Predicate<String> poisonKey, double lateApplyRate,
        Duration lateApplyDelay, Predicate<String> lateApplyKey) {

    /** A window {@code [from, to)} after the server's start in which every request gets {@code status}. */
    public record Outage(Duration from, Duration to, int status) {
        boolean covers(Duration sinceStart) {
            return sinceStart.compareTo(from) >= 0 && sinceStart.compareTo(to) < 0;
        }
    }

    public FaultPlan {
        for (double rate : List.of(error5xxRate, tooManyRequestsRate, resetRate, slowRate, commitThen504Rate,
                lateApplyRate)) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("a fault rate must be within 0..1: " + rate);
            }
        }
        if (error5xxRate + tooManyRequestsRate + resetRate + slowRate + commitThen504Rate + lateApplyRate > 1.000_001) {
            throw new IllegalArgumentException("the fault rates add up to more than 1");
        }
        outages = List.copyOf(outages);
    }

    /** A well-behaved API. */
    public static FaultPlan none() {
        return builder().build();
    }

    /**
     * The faults of {@code ferry demo}: 5% 5xx, 3% 429 (Retry-After 1s), 2% resets, 3% commit-then-504,
     * 1% slow answers (3s, a client timeout below that turns them into timeouts).
     */
    public static FaultPlan demo(long seed) {
        return builder().seed(seed).error5xxRate(0.05).tooManyRequestsRate(0.03).resetRate(0.02)
                .commitThen504Rate(0.03).slowRate(0.01).slowDelay(Duration.ofSeconds(3)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.error5xxRate = error5xxRate;
        b.tooManyRequestsRate = tooManyRequestsRate;
        b.retryAfter = retryAfter;
        b.resetRate = resetRate;
        b.slowRate = slowRate;
        b.slowDelay = slowDelay;
        b.commitThen504Rate = commitThen504Rate;
        b.latency = latency;
        b.outages.addAll(outages);
        b.rejectKey = rejectKey;
        b.unauthorized = unauthorized;
        b.idempotent = idempotent;
        b.misrouted = misrouted;
        b.redirect = redirect;
        b.errorBodyBytes = errorBodyBytes;
        b.poisonKey = poisonKey;
        b.lateApplyRate = lateApplyRate;
        b.lateApplyDelay = lateApplyDelay;
        b.lateApplyKey = lateApplyKey;
        return b;
    }

    /** The status of the outage covering this moment, or 0 when none does. */
    int outageStatus(Duration sinceStart) {
        return outages.stream().filter(outage -> outage.covers(sinceStart)).mapToInt(Outage::status).findFirst()
                .orElse(0);
    }

    /** Fluent construction; everything is off until set. */
    public static final class Builder {
        private long seed;
        private double error5xxRate;
        private double tooManyRequestsRate;
        private Optional<String> retryAfter = Optional.of("1");
        private double resetRate;
        private double slowRate;
        private Duration slowDelay = Duration.ofSeconds(15);
        private double commitThen504Rate;
        private Duration latency = Duration.ZERO;
        private final List<Outage> outages = new ArrayList<>();
        private Predicate<String> rejectKey = key -> false;
        private boolean unauthorized;
        private boolean idempotent = true;
        private boolean misrouted;
        private boolean redirect;
        private int errorBodyBytes;
        private Predicate<String> poisonKey = key -> false;
        private double lateApplyRate;
        private Duration lateApplyDelay = Duration.ofSeconds(2);
        private Predicate<String> lateApplyKey = key -> false;

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder error5xxRate(double rate) {
            this.error5xxRate = rate;
            return this;
        }

        public Builder tooManyRequestsRate(double rate) {
            this.tooManyRequestsRate = rate;
            return this;
        }

        /** The 429's Retry-After (whole seconds); {@code null} sends none. Default 1s. */
        public Builder retryAfter(Duration retryAfter) {
            this.retryAfter = Optional.ofNullable(retryAfter).map(wait -> Long.toString(wait.toSeconds()));
            return this;
        }

        /** The 429's Retry-After exactly as given, e.g. {@code 99999999999999999999} or {@code soon}. */
        public Builder retryAfterText(String value) {
            this.retryAfter = Optional.of(value);
            return this;
        }

        public Builder resetRate(double rate) {
            this.resetRate = rate;
            return this;
        }

        public Builder slowRate(double rate) {
            this.slowRate = rate;
            return this;
        }

        /** How long a slow request is held before its 504. Default 15s (ferry's request timeout is 10s). */
        public Builder slowDelay(Duration delay) {
            this.slowDelay = delay;
            return this;
        }

        public Builder commitThen504Rate(double rate) {
            this.commitThen504Rate = rate;
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        /** Every request gets 503 from {@code after} the server's start for {@code length}. */
        public Builder outage(Duration after, Duration length) {
            return outage(after, length, 503);
        }

        /** Every request gets {@code status} (e.g. a CDN's 520–527) from {@code after} for {@code length}. */
        public Builder outage(Duration after, Duration length, int status) {
            outages.add(new Outage(after, after.plus(length), status));
            return this;
        }

        public Builder misrouted(boolean misrouted) {
            this.misrouted = misrouted;
            return this;
        }

        public Builder redirect(boolean redirect) {
            this.redirect = redirect;
            return this;
        }

        /** Error answers carry a body of this many bytes. */
        public Builder errorBodyBytes(int bytes) {
            this.errorBodyBytes = bytes;
            return this;
        }

        public Builder lateApplyRate(double rate) {
            this.lateApplyRate = rate;
            return this;
        }

        /** How much later a late write lands. Default 2s. */
        public Builder lateApplyDelay(Duration delay) {
            this.lateApplyDelay = delay;
            return this;
        }

        /** The first write of each of these record keys lands late. */
        public Builder lateApplyKeys(Set<String> keys) {
            Set<String> copy = Set.copyOf(keys);
            this.lateApplyKey = copy::contains;
            return this;
        }

        public Builder poisonKeys(Set<String> keys) {
            Set<String> copy = Set.copyOf(keys);
            this.poisonKey = copy::contains;
            return this;
        }

        public Builder rejectKeys(Set<String> keys) {
            Set<String> copy = Set.copyOf(keys);
            return rejectKeys(copy::contains);
        }

        public Builder rejectKeys(Predicate<String> keys) {
            this.rejectKey = keys;
            return this;
        }

        public Builder unauthorized(boolean unauthorized) {
            this.unauthorized = unauthorized;
            return this;
        }

        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        public FaultPlan build() {
            return new FaultPlan(seed, error5xxRate, tooManyRequestsRate, retryAfter, resetRate, slowRate, slowDelay,
                    commitThen504Rate, latency, outages, rejectKey, unauthorized, idempotent, misrouted, redirect,
                    errorBodyBytes, poisonKey, lateApplyRate, lateApplyDelay, lateApplyKey);
        }
    }
}
