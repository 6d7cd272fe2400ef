package dev.ferry.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The command line of {@link FlakyApiMain}. */
class FlakyApiMainTest {

    @Test
    void flags_becomeThePlan_whenAllAreGiven() {
        FaultPlan plan = FlakyApiMain.plan(FlakyApiMain.flags("--port", "8089", "--seed", "7", "--error-rate",
                "0.1", "--429-rate", "0.2", "--retry-after-s", "3", "--reset-rate", "0.05", "--slow-rate", "0.01",
                "--slow-ms", "12000", "--commit-then-504-rate", "0.04", "--latency-ms", "100", "--outage-after-ms",
                "5000", "--outage-ms", "20000", "--reject-keys", "x,y", "--unauthorized", "--not-idempotent",
                "--late-apply-rate", "0.03", "--late-apply-ms", "4000"));

        assertThat(plan.seed()).isEqualTo(7);
        assertThat(List.of(plan.error5xxRate(), plan.tooManyRequestsRate(), plan.resetRate(), plan.slowRate(),
                plan.commitThen504Rate())).containsExactly(0.1, 0.2, 0.05, 0.01, 0.04);
        assertThat(plan.retryAfter()).hasValue("3");
        assertThat(plan.slowDelay()).isEqualTo(Duration.ofSeconds(12));
        assertThat(plan.latency()).isEqualTo(Duration.ofMillis(100));
        assertThat(plan.outages()).containsExactly(
                new FaultPlan.Outage(Duration.ofSeconds(5), Duration.ofSeconds(25), 503));
        assertThat(plan.rejectKey()).accepts("x", "y").rejects("z");
        assertThat(plan.unauthorized()).isTrue();
        assertThat(plan.idempotent()).isFalse();
        assertThat(plan.lateApplyRate()).isEqualTo(0.03);
        assertThat(plan.lateApplyDelay()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void demoFlag_startsFromDemoPreset_withoutRetryAfterWhenNegative() {
        FaultPlan plan = FlakyApiMain.plan(FlakyApiMain.flags("--demo", "--seed", "3", "--retry-after-s", "-1"));

        assertThat(plan.error5xxRate()).isEqualTo(FaultPlan.demo(3).error5xxRate()).isPositive();
        assertThat(plan.seed()).isEqualTo(3);
        assertThat(plan.retryAfter()).isEqualTo(Optional.empty());
        assertThat(plan.idempotent()).isTrue();
    }

    @Test
    void flags_rejected_whenUnknown() {
        assertThatThrownBy(() -> FlakyApiMain.flags("--colour", "red")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlakyApiMain.flags("--seed")).isInstanceOf(IllegalArgumentException.class);
    }
}
