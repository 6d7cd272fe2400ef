package dev.ferry.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Ids of runs and verifies: the UTC start time, so they sort oldest first, and a random suffix. */
public final class RunIds {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private RunIds() {
    }

    public static String next(Instant start) {
        return STAMP.format(start) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }
}
