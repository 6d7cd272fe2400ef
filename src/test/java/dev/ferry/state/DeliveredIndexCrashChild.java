package dev.ferry.state;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The process {@link DeliveredIndexCrashTest} kills: {@value #WRITERS} threads deliver versions into the index
 * without end, thread t delivering event j of its own sequence ({@link #key}, {@link #version}), from the event
 * given in the arguments on; a committer commits every 20 ms and prints
 * {@code committed N0 N1 ...}: every thread's count of events delivered before that commit began.
 */
public final class DeliveredIndexCrashChild {

    static final int WRITERS = 4;
    /** Keys per writer: events cycle through them, so each key gets ever newer versions. */
    static final int KEYS = 3_000;

    private DeliveredIndexCrashChild() {
    }

    static String key(int writer, long event) {
        return "t" + writer + "-k" + event % KEYS;
    }

    static String version(long event) {
        return Long.toString(event / KEYS);
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        AtomicLongArray delivered = new AtomicLongArray(WRITERS);
        DeliveredIndex index = DeliveredIndex.open(state);
        for (int t = 0; t < WRITERS; t++) {
            int writer = t;
            long from = Long.parseLong(args[1 + t]);
            delivered.set(writer, from);
            Thread thread = new Thread(() -> {
                try {
                    for (long event = from;; event++) {
                        DeliveredIndexTest.deliver(index, key(writer, event), version(event));
                        delivered.set(writer, event + 1);
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                    System.exit(1);
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        while (true) {
            StringBuilder line = new StringBuilder("committed");
            for (int t = 0; t < WRITERS; t++) {
                line.append(' ').append(delivered.get(t));
            }
            index.commit();
            System.out.println(line);
            System.out.flush();
            Thread.sleep(20);
        }
    }
}
