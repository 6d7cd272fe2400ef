package dev.ferry.run;

import org.jboss.logging.Logger;

import sun.misc.Signal;
import sun.misc.SignalHandler;
import dev.ferry.core.StopSignal;

/**
 * SIGTERM (Kubernetes stopping the pod) asks the run to stop: it checkpoints and exits 75 instead of
 * being cut off mid-file. {@link #close()} puts the JVM's own handler back.
 */
public final class SigtermHandler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SigtermHandler.class);
    private static final Signal TERM = new Signal("TERM");

    private final SignalHandler previous;

    private SigtermHandler(SignalHandler previous) {
        this.previous = previous;
    }

    public static SigtermHandler install(StopSignal stop) {
        return new SigtermHandler(Signal.handle(TERM, signal -> {
            LOG.warn("SIGTERM: checkpointing and stopping; the rest is left for the next run");
            stop.request(StopSignal.Reason.SIGTERM);
        }));
    }

    @Override
    public void close() {
        Signal.handle(TERM, previous);
    }
}
