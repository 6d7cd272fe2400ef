package dev.ferry.delivery;

import java.net.URI;
import java.time.Instant;

import dev.ferry.ingest.SourceRecord;

/**
 * One record's way through the retry loop: what to send, and what its attempts met: the last fault, and the last
 * answer that left it unknown whether the API applied the request ({@link FaultClassifier#mayHaveApplied}), kept even
 * when a later attempt succeeded: the early request can still land late, after a newer version.
 * Used by one thread at a time (a key's records are never in flight together).
 */
public final class Delivery {

    private final SourceRecord record;
    private final URI url;
    private final byte[] body;
    private int attempts;
    private RuntimeException lastFault;
    private Instant ambiguousAt;

    public Delivery(SourceRecord record, URI url, byte[] body) {
        this.record = record;
        this.url = url;
        this.body = body;
    }

    public SourceRecord record() {
        return record;
    }

    public URI url() {
        return url;
    }

    /** The record's JSON, UTF-8; null for a delete, which has no body. */
    public byte[] body() {
        return body;
    }

    /** Requests sent so far for this record in this run. */
    public int attempts() {
        return attempts;
    }

    void attemptStarted() {
        attempts++;
    }

    void failed(RuntimeException fault) {
        lastFault = fault;
    }

    public RuntimeException lastFault() {
        return lastFault;
    }

    void ambiguous(Instant at) {
        ambiguousAt = at;
    }

    /** When the last attempt that may have been applied without ferry knowing it failed; null when none did. */
    public Instant ambiguousAt() {
        return ambiguousAt;
    }
}
