package dev.ferry.requeue;

/** Why {@code ferry requeue} leaves a selected rejected/ line where it is. */
public enum SkipReason {

    /** Input that never became a record (no key, no record): nothing to send. */
    NOT_A_RECORD("not a record: fix the file and drop it in inbox/"),
    /** A later rejection of the key is not selected: moving this one would put an older version after it. */
    NEWER_REJECTED("a newer version of the key is in rejected/ and not selected"),
    /** Its rejected/ file is named by the checkpoint of an unfinished replay, which may cut it back. */
    HELD("its rejected/ file belongs to an unfinished replay: requeue after the next run"),
    /** An older version of the key waits in failed/; the replay sends that one, and this one would overtake it. */
    WAITING("a version of the key waits in failed/"),
    /** The key was delivered at or after the rejection (or at a time not known). */
    NEWER_DELIVERED("a newer version was delivered");

    private final String text;

    SkipReason(String text) {
        this.text = text;
    }

    /** For an operator. */
    public String text() {
        return text;
    }
}
