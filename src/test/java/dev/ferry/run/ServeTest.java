package dev.ferry.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.TestData;
import dev.ferry.core.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.ferry.serve.ServeSchedule;

/** ferry serve: runs on a one-second cron, never two at once, health over HTTP. */
@QuarkusTest
@TestProfile(ServeTest.EverySecond.class)
class ServeTest {

    public static class EverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.schedule", "*/1 * * * * ?", "quarkus.http.host-enabled", "true",
                    "ferry.target.url", "http://127.0.0.1:9");
        }
    }

    @Inject
    ServeSchedule schedule;

    @Test
    void serving_runsOnTheCron_neverTwoAtOnce_andReportsHealth() throws Exception {
        TestData.reset();
        Thread.sleep(1500);
        assertThat(TestData.files("reports")).as("nothing is scheduled before serve").isEmpty();

        schedule.serve();
        long end = System.currentTimeMillis() + 10_000;
        while (TestData.files("reports").size() < 2 && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }

        List<JsonNode> reports = new ArrayList<>();
        for (String name : TestData.files("reports")) {
            reports.add(Json.read(Files.readString(TestData.ROOT.resolve("reports").resolve(name))));
        }
        assertThat(reports).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < reports.size(); i++) {
            Instant previousEnd = Instant.parse(reports.get(i - 1).get("endedAt").asText());
            Instant nextStart = Instant.parse(reports.get(i).get("startedAt").asText());
            assertThat(nextStart).as("runs never overlap").isAfterOrEqualTo(previousEnd);
        }
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'ferry' }.data.breaker", equalTo("closed"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("ferry_records_total"));
    }
}
