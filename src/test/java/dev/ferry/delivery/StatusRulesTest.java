package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.ferry.core.ConfigurationError;

/** ferry.retry.on-status: statuses, ranges and classes; the routing-type refusals ({@link RoutingRefusal}). */
class StatusRulesTest {

    @Test
    void defaultRules_retryEvery5xxBut501And505_gatewayCodesIncluded() {
        StatusRules rules = StatusRules.of(List.of("408", "425", "429", "5xx"));

        assertThat(IntStream.of(408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524, 525, 526, 527, 599))
                .allMatch(rules::transientStatus);
        assertThat(IntStream.of(400, 401, 404, 409, 422, 501, 505, 301)).noneMatch(rules::transientStatus);
    }

    @Test
    void rangesAndSingleStatuses_canBeMixed() {
        StatusRules rules = StatusRules.of(List.of("409", " 520-522 ", "4xx"));

        assertThat(rules.transientStatus(409)).isTrue();
        assertThat(rules.transientStatus(521)).isTrue();
        assertThat(rules.transientStatus(523)).isFalse();
        assertThat(rules.transientStatus(451)).isTrue();
    }

    @Test
    void whatCannotBeRead_isAConfigurationErrorNamingTheProperty() {
        for (String bad : List.of("5x", "abc", "600", "099", "527-520", "200", "2xx")) {
            assertThatThrownBy(() -> StatusRules.of(List.of(bad)), bad).isInstanceOf(ConfigurationError.class)
                    .hasMessageStartingWith("ferry.retry.on-status");
        }
    }

    @Test
    void routingTypeRefusals_are3xx_someStatuses_and4xxWithoutAJsonBody() {
        StatusRules rules = StatusRules.of(List.of("5xx"));

        assertThat(IntStream.of(301, 302, 307, 308, 404, 405, 406, 415, 501, 505))
                .allMatch(status -> rules.routing(status, true));
        assertThat(rules.routing(400, false)).as("an HTML error page of a proxy").isTrue();
        assertThat(rules.routing(400, true)).as("the API's own JSON refusal").isFalse();
        assertThat(rules.routing(422, true)).isFalse();
        assertThat(rules.routing(500, false)).isFalse();
    }

    @Test
    void statusesOutsideTheHttpClasses_areRoutingTypeRefusals_notRejections() {
        StatusRules rules = StatusRules.of(List.of("5xx"));

        assertThat(IntStream.of(0, 99, 100, 199, 600, 999))
                .as("a 1xx as a final answer, or no HTTP status at all: a broken gateway, not the record")
                .allMatch(status -> rules.routing(status, true));
        assertThat(rules.routing(499, true)).as("an unknown status of a known class is its x00").isFalse();
    }
}
