package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Shards split ferry.delivery.rate-limit evenly: together they keep to it. */
class DeliveryRateLimitTest {

    @Test
    void eachOfFourShards_getsAQuarter_ofTheRateWithItsMargin() {
        double whole = DeliveryRateLimit.perShard(12, 1);

        assertThat(whole).isCloseTo(12 * DeliveryRateLimit.MARGIN, within(1e-9));
        assertThat(DeliveryRateLimit.perShard(12, 4) * 4).isCloseTo(whole, within(1e-9));
    }
}
