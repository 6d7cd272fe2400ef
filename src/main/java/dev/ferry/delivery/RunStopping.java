package dev.ferry.delivery;

/** The run is stopping (SIGTERM, deadline, refused credentials): no further attempt; the record stays for the next run. */
public class RunStopping extends RuntimeException {

    public RunStopping() {
        super("the run is stopping", null, false, false);
    }
}
