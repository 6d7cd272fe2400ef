package dev.ferry.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.core.Json;

/** What a log line may show of a record and of the API's answer, with and without ferry.log.redact-fields. */
class RedactionTest {

    static final JsonNode RECORD = Json.read("{\"id\":\"k1\",\"email\":\"alice@example.com\",\"name\":\"Alice\","
            + "\"contact\":{\"phone\":\"+41 79 000 00 00\"}}");

    final Redaction none = new Redaction(List.of(), "id");
    final Redaction redacting = new Redaction(List.of("email", "phone"), "id");

    @Test
    void noRedactFields_showsBodyKeyAndReasonAsTheyAre() {
        String body = "{\"error\":\"bad\",\"email\":\"alice@example.com\"}";

        assertThat(none.answer(422, body, RECORD)).isEqualTo("HTTP 422 " + body);
        assertThat(none.answer(422, "plain alice@example.com", RECORD)).isEqualTo("HTTP 422 plain alice@example.com");
        assertThat(none.answer(422, "", RECORD)).isEqualTo("HTTP 422");
        assertThat(none.key("k1")).isEqualTo("k1");
        assertThat(none.reason("malformed JSON: Unrecognized token 'x'")).isEqualTo("malformed JSON: Unrecognized token 'x'");
    }

    @Test
    void jsonBody_masksRedactedFieldsAtAnyDepth_andValuesThatEchoTheRecords() {
        String body = "{\"error\":\"alice@example.com is taken\",\"email\":\"alice@example.com\","
                + "\"details\":[{\"field\":\"contact.phone\",\"rejectedValue\":\"+41 79 000 00 00\"},"
                + "{\"phone\":12345}],\"name\":\"Alice\"}";

        assertThat(redacting.answer(422, body, RECORD)).isEqualTo("HTTP 422 {\"error\":\"*** is taken\","
                + "\"email\":\"***\",\"details\":[{\"field\":\"contact.phone\",\"rejectedValue\":\"***\"},"
                + "{\"phone\":\"***\"}],\"name\":\"Alice\"}");
    }

    @Test
    void bodyThatIsNotAJsonObjectOrArray_isLeftOut() {
        for (String body : List.of("email alice@example.com is taken", "<html>alice@example.com</html>",
                "\"alice@example.com\"", "{\"email\":\"alice@example.com\", \"cut\":\"short…")) {
            assertThat(redacting.answer(400, body, RECORD)).as(body)
                    .isEqualTo("HTTP 400 (body not shown: not JSON and ferry.log.redact-fields is set)");
        }
        assertThat(redacting.answer(400, "", RECORD)).isEqualTo("HTTP 400");
    }

    @Test
    void redactedKeyField_masksTheKey_andParseReasonsStopBeforeTheParsersDetails() {
        Redaction keyRedacted = new Redaction(List.of("id"), "id");

        assertThat(keyRedacted.key("k1")).isEqualTo(Redaction.MASK);
        assertThat(keyRedacted.masksKey()).isTrue();
        assertThat(redacting.key("k1")).isEqualTo("k1");
        assertThat(redacting.reason("malformed JSON: Unrecognized token 'alice': was expecting ..."))
                .isEqualTo("malformed JSON (details in rejected/)");
        assertThat(redacting.reason("row has 3 fields, the header has 4")).isEqualTo("row has 3 fields, the header has 4");
    }
}
