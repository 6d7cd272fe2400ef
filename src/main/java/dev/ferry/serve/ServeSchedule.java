package dev.ferry.serve;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.StopSignal;
import dev.ferry.run.FerryRun;
import dev.ferry.state.RunReport;
import dev.ferry.verify.Verifier;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * {@code ferry serve}: the Quarkus Scheduler starts a run on {@code ferry.schedule} and a verify on
 * {@code ferry.verify.schedule}, never two at once (a tick that finds one still going is skipped).
 * Nothing is scheduled in the other commands. On shutdown (SIGTERM) the current run is told to
 * stop and finishes cleanly before the process ends.
 */
@ApplicationScoped
public class ServeSchedule {

    private static final Logger LOG = Logger.getLogger(ServeSchedule.class);

    private final FerryRun run;
    private final Verifier verifier;
    private final StopSignal stop;
    private final Duration grace;
    private final Clock clock;
    /** Held while a run or a verify goes on: never two at once, and shutdown waits for it. */
    private final ReentrantLock busy = new ReentrantLock();
    private volatile boolean serving;
    private volatile RunReport lastRun;

    public ServeSchedule(FerryRun run, Verifier verifier, StopSignal stop, Clock clock, FerryConfig config) {
        this.run = run;
        this.clock = clock;
        this.verifier = verifier;
        this.stop = stop;
        this.grace = config.request().timeout().plusSeconds(5);
    }

    /** From now on the schedule runs (only {@code ferry serve} calls this). */
    public void serve() {
        serving = true;
    }

    public boolean serving() {
        return serving;
    }

    public boolean running() {
        return busy.isLocked();
    }

    /** The report of the last scheduled run, or null before the first. */
    public RunReport lastRun() {
        return lastRun;
    }

    @Scheduled(identity = "ferry-run", cron = "${ferry.schedule}", skipExecutionIf = NotServing.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRun() {
        exclusively("run", () -> lastRun = run.run());
    }

    @Scheduled(identity = "ferry-verify", cron = "${ferry.verify.schedule:off}", skipExecutionIf = NotServing.class,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledVerify() {
        exclusively("verify", () -> verifier.verify(false, true, OptionalLong.empty()));
    }

    private void exclusively(String what, Job job) {
        if (!busy.tryLock()) {
            LOG.infof("serve: %s skipped, the last one is still going", what);
            return;
        }
        try {
            job.run();
        } catch (Exception e) {
            LOG.errorf(e, "serve: %s failed", what);
        } finally {
            busy.unlock();
        }
    }

    void onShutdown(@Observes ShutdownEvent event) throws InterruptedException {
        if (!serving) {
            return;
        }
        serving = false;
        if (busy.isLocked()) {
            LOG.warn("serve: shutting down; the current run checkpoints and stops");
            stop.request(StopSignal.Reason.SIGTERM);
            // waits for the run to end (it takes the lock when it is done), at most the grace
            if (busy.tryLock(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                busy.unlock();
            } else {
                LOG.warnf("serve: the run did not stop within %s (since %s)", grace, clock.instant().minus(grace));
            }
        }
    }

    private interface Job {
        void run() throws Exception;
    }

    /** Skips scheduled executions outside {@code ferry serve}. */
    @ApplicationScoped
    public static class NotServing implements Scheduled.SkipPredicate {

        private final ServeSchedule schedule;

        public NotServing(ServeSchedule schedule) {
            this.schedule = schedule;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !schedule.serving(); // a method: the injected bean is a client proxy
        }
    }
}
