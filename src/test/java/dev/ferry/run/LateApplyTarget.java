package dev.ferry.run;

import java.util.Map;
import java.util.Set;

import dev.ferry.verify.FlakyApiTarget;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * ferry against a {@link dev.ferry.demo.FlakyApi} on {@link FlakyApiTarget#PORT}, on a {@link ShiftedClock}, with
 * ferry.verify.ambiguous-after at its default (2m).
 */
public class LateApplyTarget implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ferry.target.url", "http://127.0.0.1:" + FlakyApiTarget.PORT, "ferry.verify.rate", "200");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ShiftedClock.class);
    }

    /** The same with ferry.verify.ambiguous-after=0: off. */
    public static class Off extends LateApplyTarget {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ferry.target.url", "http://127.0.0.1:" + FlakyApiTarget.PORT, "ferry.verify.rate", "200",
                    "ferry.verify.ambiguous-after", "0");
        }
    }
}
