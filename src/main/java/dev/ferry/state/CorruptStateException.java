package dev.ferry.state;

import java.io.IOException;

/**
 * A state file (a checkpoint, {@code state/replay.json}) exists but does not say anything usable. The caller
 * sets aside what the state was about (to {@code quarantine/}) and goes on: unlike a volume that cannot be
 * written, one damaged file must not stop every run.
 */
public final class CorruptStateException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String problem;

    CorruptStateException(String file, String problem) {
        super(file + " is corrupt: " + problem);
        this.file = file;
        this.problem = problem;
    }

    /** The state file, relative to the data dir. */
    public String file() {
        return file;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }
}
