package dev.ferry.requeue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.state.RejectedEntry;

/** What each filter of ferry requeue selects, how they combine, and the values it refuses. */
class RequeueFilterTest {

    static final Instant AT = Instant.parse("2026-06-01T10:00:00Z");
    static final ObjectNode RECORD = Json.MAPPER.createObjectNode().put("id", "k1");

    static final RejectedEntry REFUSED_422 = RejectedEntry.refused("orders 2026-06.csv:12", 422,
            "{\"error\":\"Email is INVALID\"}", "k1", "i1", RECORD, AT, null);
    static final RejectedEntry REFUSED_409 = RejectedEntry.refused("orders.ndjson:3", 409, "{}", "k2", "i2", RECORD,
            AT, null);
    static final RejectedEntry GIVEN_UP = RejectedEntry.givenUp("orders.ndjson:4",
            "given up: failed in 5 runs (ferry.failed.max-runs)", "k3", "i3", RECORD, AT, null);
    static final RejectedEntry UNREADABLE = RejectedEntry.unreadable("orders.ndjson:5", "malformed JSON: x", "{x", AT);

    @Test
    void status_matchesAStatus_aClass_orGivenUp() {
        assertThat(select(of(List.of(), List.of(), List.of("422"), List.of())))
                .containsExactly(REFUSED_422);
        assertThat(select(of(List.of(), List.of(), List.of("4xx"), List.of())))
                .containsExactly(REFUSED_422, REFUSED_409);
        assertThat(select(of(List.of(), List.of(), List.of("given-up"), List.of())))
                .containsExactly(GIVEN_UP);
        assertThat(select(of(List.of(), List.of(), List.of("5xx", "409"), List.of())))
                .as("repeated: any of them").containsExactly(REFUSED_409);
    }

    @Test
    void file_isAGlobOnTheSourceFileName_withoutItsLineNumber() {
        assertThat(select(of(List.of("orders ????-??.csv"), List.of(), List.of(), List.of())))
                .containsExactly(REFUSED_422);
        assertThat(select(of(List.of("*.ndjson"), List.of(), List.of(), List.of())))
                .containsExactly(REFUSED_409, GIVEN_UP, UNREADABLE);
        assertThat(select(of(List.of("orders.ndjson:3"), List.of(), List.of(), List.of())))
                .as("the line is not part of the name").isEmpty();
        assertThat(select(of(List.of("orders.*"), List.of(), List.of(), List.of())))
                .as("a dot is a dot, not any character").containsExactly(REFUSED_409, GIVEN_UP, UNREADABLE);
    }

    @Test
    void reason_isFoundInTheReasonOrTheAnswer_caseInsensitive() {
        assertThat(select(of(List.of(), List.of(), List.of(), List.of("email is invalid"))))
                .containsExactly(REFUSED_422);
        assertThat(select(of(List.of(), List.of(), List.of(), List.of("MAX-RUNS", "malformed"))))
                .containsExactly(GIVEN_UP, UNREADABLE);
    }

    @Test
    void filters_combineWithAnd() {
        assertThat(select(of(List.of("*.ndjson"), List.of("k2", "k3"), List.of("4xx"), List.of())))
                .containsExactly(REFUSED_409);
    }

    @Test
    void all_withoutFilters_selectsEveryLine() {
        assertThat(select(RequeueFilter.of(List.of(), List.of(), List.of(), List.of(), true)))
                .containsExactly(REFUSED_422, REFUSED_409, GIVEN_UP, UNREADABLE);
    }

    @Test
    void noFilter_withoutAll_isRefused() {
        assertThatThrownBy(() -> RequeueFilter.of(List.of(), List.of(), List.of(), List.of(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass --all");
    }

    @ParameterizedTest
    @ValueSource(strings = { "99x", "42", "4221", "6xx", "xx", "given_up", "" })
    void unusableStatus_isRefused_namingTheOption(String status) {
        assertThatThrownBy(() -> of(List.of(), List.of(), List.of(status), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--status " + status + ":");
    }

    @Test
    void blankReason_isRefused_namingTheOption() {
        assertThatThrownBy(() -> of(List.of(), List.of(), List.of(), List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--reason");
    }

    static RequeueFilter of(List<String> files, List<String> keys, List<String> statuses, List<String> reasons) {
        return RequeueFilter.of(files, keys, statuses, reasons, false);
    }

    static List<RejectedEntry> select(RequeueFilter filter) {
        return List.of(REFUSED_422, REFUSED_409, GIVEN_UP, UNREADABLE).stream().filter(filter::matches).toList();
    }
}
