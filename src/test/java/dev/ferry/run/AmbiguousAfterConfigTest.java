package dev.ferry.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ferry.core.ConfigurationError;
import dev.ferry.target.TargetAuthConfigTest;

/** ferry.verify.ambiguous-after: a duration, 2m by default, 0 off, negative a configuration error (exit 78). */
class AmbiguousAfterConfigTest {

    @Test
    void unset_isTwoMinutes() {
        assertThat(Reconciliation.ambiguousAfter(TargetAuthConfigTest.config(Map.of(), Map.of())))
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void zero_isOff_andAcceptedFromTheEnvironment() {
        assertThat(Reconciliation.ambiguousAfter(
                TargetAuthConfigTest.config(Map.of(), Map.of("FERRY_VERIFY_AMBIGUOUS_AFTER", "0")))).isZero();
    }

    @Test
    void negative_isAConfigurationErrorNamingTheProperty() {
        assertThatThrownBy(() -> Reconciliation.ambiguousAfter(
                TargetAuthConfigTest.config(Map.of("ferry.verify.ambiguous-after", "-PT5S"), Map.of())))
                .isInstanceOf(ConfigurationError.class).hasMessageStartingWith("ferry.verify.ambiguous-after");
    }
}
