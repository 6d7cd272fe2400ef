package dev.ferry.run;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on {@code concurrency} worker threads, never two of the same key at once and each key's
 * tasks in submission order: a key's next task starts when its previous one ended. Thread-safe.
 */
final class KeyedDispatcher implements AutoCloseable {

    private final ExecutorService workers;
    private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();

    KeyedDispatcher(int concurrency) {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrency, task -> {
            Thread thread = new Thread(task, "ferry-worker-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void submit(String key, Runnable task) {
        synchronized (waiting) {
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
            task.run();
            synchronized (waiting) {
                ArrayDeque<Runnable> queue = waiting.get(key);
                task = queue.poll();
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
