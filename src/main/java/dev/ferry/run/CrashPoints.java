package dev.ferry.run;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only: {@code FERRY_TEST_CRASH_AT=<point>:<n>} halts the process, as {@code kill -9} would, the
 * n-th time the run passes {@code point}. Crash tests use it to stop ferry between two state-writing
 * steps. Unset (always, in production) it costs one null check.
 */
final class CrashPoints {

    static final String DELIVERED = "delivered"; // the API answered 2xx; the checkpoint does not know yet
    static final String DELETED = "deleted"; // the API accepted a DELETE; neither the index nor the checkpoint knows yet
    static final String FAILED_APPENDED = "failed-appended"; // a failed/ line is written; the checkpoint does not know yet
    static final String REPLAY_SETTLED = "replay-settled"; // a replayed record is settled

    private static final String POINT;
    private static final int COUNT;
    private static final AtomicInteger PASSED = new AtomicInteger();

    static {
        String spec = System.getenv("FERRY_TEST_CRASH_AT");
        String point = null;
        int count = 0;
        if (spec != null && spec.contains(":")) {
            point = spec.substring(0, spec.indexOf(':'));
            count = Integer.parseInt(spec.substring(spec.indexOf(':') + 1));
        }
        POINT = point;
        COUNT = count;
    }

    private CrashPoints() {
    }

    static void passed(String point) {
        if (POINT != null && POINT.equals(point) && PASSED.incrementAndGet() == COUNT) {
            // at once, with no line written first: while a line goes out, the other workers go on settling and
            // sending, and the crash tests bound what the halted run had sent (exit 137 says where it halted)
            Runtime.getRuntime().halt(137);
        }
    }
}
