package dev.ferry.run;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

/**
 * Runs tasks on worker threads, never two of the same key at once and each key's tasks in submission order:
 * a key's next task starts when its previous one ended, however that one ended (a task that throws still
 * hands its key on). At most {@code capacity} tasks are submitted and not yet ended, so what a reader has
 * in hand stays bounded whatever the file size. A reader that found no room is woken once half of them have ended,
 * not at every task's end: it then submits a batch, instead of trading one wake-up for one record. Thread-safe.
 */
final class KeyedDispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KeyedDispatcher.class);

    private final ExecutorService workers;
    private final int capacity;
    /** The pending count at which a waiting reader is woken: half the capacity. */
    private final int refillAt;
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();
    private int pending;

    KeyedDispatcher(int workers, int capacity) {
        AtomicInteger n = new AtomicInteger();
        this.capacity = capacity;
        this.refillAt = capacity / 2;
        this.workers = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "ferry-worker-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The most tasks submitted and not yet ended at any moment. */
    int capacity() {
        return capacity;
    }

    /**
     * Waits up to {@code millis} when {@code capacity} tasks are pending, until half of them have ended; true when
     * there is room.
     */
    synchronized boolean awaitRoom(long millis) throws InterruptedException {
        if (pending >= capacity && millis > 0) {
            wait(millis); // the task that brings pending down to refillAt wakes this
        }
        return pending < capacity;
    }

    void submit(String key, Runnable task) {
        synchronized (this) {
            pending++;
            ArrayDeque<Runnable> queue = waiting.get(key);
            if (queue != null) {
                queue.add(task); // the key is busy: its running chain picks this up
                return;
            }
            waiting.put(key, new ArrayDeque<>());
        }
        workers.execute(() -> runChain(key, task));
    }

    private void runChain(String key, Runnable first) {
        Runnable task = first;
        while (task != null) {
            try {
                task.run();
            } catch (RuntimeException | Error unexpected) {
                LOG.errorf(unexpected, "a task of key %s failed", key); // the key's next task runs all the same
            }
            synchronized (this) {
                pending--;
                if (pending == refillAt) {
                    notifyAll(); // a reader waits only when pending reached capacity: it passes here on the way down
                }
                task = waiting.get(key).poll();
                if (task == null) {
                    waiting.remove(key);
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
