package dev.ferry.delivery;

import java.net.URI;

import dev.ferry.ingest.SourceRecord;

/**
 * One record's way through the retry loop: what to send, and what its attempts met.
 * Used by one thread at a time (a key's records are never in flight together).
 */
public final class Delivery {

    private final SourceRecord record;
    private final URI url;
    private final byte[] body;
    private int attempts;
    private RuntimeException lastFault;

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
}
