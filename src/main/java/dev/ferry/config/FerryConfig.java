package dev.ferry.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;


/**
 * Every {@code ferry.*} property ferry documents (docs/reference.md, Properties). Each is also an environment
 * variable: {@code ferry.retry.max-retries} is {@code FERRY_RETRY_MAX_RETRIES}.
 * Values that the fault-tolerance annotations and the REST client need are translated into
 * their framework keys by {@code dev.ferry.FrameworkConfigSourceFactory}. The bounds of the numeric ones are
 * checked by {@link ConfigRanges} when the configuration is read.
 */
@ConfigMapping(prefix = "ferry")
public interface FerryConfig {

    /** Root of the data volume holding inbox/, processing/, done/, failed/, rejected/, state/ and reports/. */
    @WithDefault("/data")
    Path dataDir();

    Inbox inbox();

    Done done();

    Records record();

    Csv csv();

    Target target();

    Request request();

    Retry retry();

    Breaker breaker();

    Delivery delivery();

    Snapshot snapshot();

    Run run();

    Metrics metrics();

    Verify verify();

    Log log();

    /** Cron expression (Quarkus Scheduler syntax) on which {@code ferry serve} starts a run. */
    @WithDefault("0 */15 * * * ?")
    String schedule();

    interface Inbox {
        /** A file is taken only once it has not been modified for this long. */
        @WithDefault("5s")
        Duration settle();
    }

    interface Done {
        /** How long settled source files are kept in done/; {@code 0} deletes them at once. */
        @WithDefault("7d")
        Duration retention();
    }

    interface Records {
        /** The field holding a record's key, in the shaped record (after renaming and the transform). */
        @WithDefault("id")
        String keyField();

        /**
         * Longest accepted record in bytes: an NDJSON line, or a CSV row (several lines when a quoted field holds
         * line breaks). A longer one goes to rejected/ with its line range, and so does a CSV quote that does not
         * close within this many bytes; either way the file goes on after it, and memory stays bounded.
         */
        @WithDefault("1048576")
        int maxBytes();

        /**
         * Longest accepted key in UTF-8 bytes; a record with a longer key goes to rejected/. The key goes into the
         * request path, and proxies and servers refuse long URLs (8 KiB in all is a common limit).
         */
        @WithDefault("512")
        int maxKeyBytes();

        /**
         * The type of a field, by its name in the source file: {@code string} (CSV's default), {@code integer},
         * {@code decimal}, {@code boolean}, {@code date}, {@code datetime}, {@code json}. A value that does not fit
         * sends its record to rejected/. {@code FERRY_RECORD_TYPES_QTY=integer} sets the field {@code qty}; a name with
         * capitals or dots is written {@code ferry.record.types."Order.Qty"} in a properties source.
         */
        Map<String, String> types();

        /** New names of fields: {@code ferry.record.rename.<name in the file>=<name the API gets>}. */
        Map<String, String> rename();

        /** Fields left out of what is sent, by their names after renaming. */
        Optional<List<String>> drop();

        /**
         * Constant fields added to (or replacing fields of) every record, after drop; typed by
         * {@code ferry.record.types.<field>} when that is given, text otherwise.
         */
        Map<String, String> set();

        /**
         * A file holding a JSLT expression applied to each record after the field steps (nesting, computed fields);
         * compiled at start, a syntax error stops the run.
         */
        Optional<Path> transform();

        /**
         * The key as a template over the shaped record's fields, e.g. {@code {country}-{id}}, for keys made of
         * several fields. Unset: the value of {@link #keyField()}.
         */
        Optional<String> key();
    }

    interface Csv {
        /**
         * The field delimiter: {@code ,}, {@code ;}, {@code |} or a tab (written {@code tab} or {@code \t}). Any
         * other value stops the run at start (exit 78).
         */
        @WithDefault(",")
        String delimiter();

        /** What an empty CSV cell becomes: {@code null} (default), {@code omit} (the field is left out) or {@code string} (""). */
        @WithDefault("null")
        String empty();
    }

    interface Target {
        /** Base URL of the external API, e.g. {@code https://api.example.com}. Required by run and verify. */
        Optional<URI> url();

        /** Path template appended to the URL; {@code {key}} is replaced by the percent-encoded key. */
        @WithDefault("/records/{key}")
        String path();

        /** HTTP method of a delivery. */
        @WithDefault("PUT")
        HttpMethod method();

        /**
         * How requests authenticate: {@code bearer}, {@code oauth2}, {@code api-key}, {@code basic} or {@code none}.
         * Unset: {@code bearer} when a bearer token (or its file) is set, else {@code none}.
         */
        Optional<AuthMode> auth();

        /** Sent as {@code Authorization: Bearer <token>}; never logged. */
        Optional<String> bearerToken();

        /** A file holding the bearer token instead (re-read when it changes, e.g. a mounted Kubernetes Secret). */
        Optional<Path> bearerTokenFile();

        /** The OAuth2 client-credentials grant of {@code ferry.target.auth=oauth2}. */
        OAuth2 oauth2();

        /** The API key of {@code ferry.target.auth=api-key}. */
        ApiKey apiKey();

        /** The user and password of {@code ferry.target.auth=basic}. */
        Basic basic();

        /** Static headers sent with every request, e.g. {@code ferry.target.headers.x-tenant=acme}. */
        Map<String, String> headers();

        /** Trust and client certificate for an HTTPS API. */
        Tls tls();
    }

    /** The ways a request to the API authenticates. */
    enum AuthMode {
        BEARER, OAUTH2, API_KEY, BASIC, NONE
    }

    interface OAuth2 {
        /** The token endpoint, e.g. {@code https://login.example.com/oauth2/token}. */
        Optional<URI> tokenUrl();

        /** The client id. */
        Optional<String> clientId();

        /** The client secret; never logged. */
        Optional<String> clientSecret();

        /** A file holding the client secret instead (re-read when it changes). */
        Optional<Path> clientSecretFile();

        /** Space-separated scopes asked for; unset: none (the token endpoint's default). */
        Optional<String> scope();

        /** The {@code audience} parameter some token endpoints want (e.g. Auth0); unset: not sent. */
        Optional<String> audience();

        /**
         * How the client authenticates to the token endpoint: {@code basic} (HTTP Basic, RFC 6749 §2.3.1, which every
         * endpoint must accept) or {@code post} (client_id and client_secret in the form).
         */
        @WithDefault("basic")
        ClientAuth clientAuth();
    }

    /** How an OAuth2 client authenticates to its token endpoint. */
    enum ClientAuth {
        BASIC, POST
    }

    interface ApiKey {
        /** The header that carries the key, e.g. {@code X-API-Key}. */
        @WithDefault("X-API-Key")
        String header();

        /** The key; never logged. */
        Optional<String> value();

        /** A file holding the key instead (re-read when it changes). */
        Optional<Path> valueFile();
    }

    interface Basic {
        /** The user name. */
        Optional<String> username();

        /** The password; never logged. */
        Optional<String> password();

        /** A file holding the password instead (re-read when it changes). */
        Optional<Path> passwordFile();
    }

    interface Tls {
        /** PEM bundle of CA certificates trusted in addition to the system's. */
        Optional<Path> caFile();

        /** PEM client certificate (chain) for mutual TLS; needs {@code key-file}. */
        Optional<Path> certFile();

        /** PEM private key (PKCS#8, or PKCS#1 RSA / SEC1 EC, unencrypted) of {@code cert-file}. */
        Optional<Path> keyFile();

        /** Whether the server's certificate must name the host of the URL. */
        @WithDefault("true")
        boolean verifyHostname();
    }

    /** The HTTP methods a delivery may use. */
    enum HttpMethod {
        PUT, POST, PATCH
    }

    interface Request {
        /** Longest wait for one answer; longer counts as a transient timeout. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Retry {
        /** Retries after the first attempt, for transient faults only. */
        @WithDefault("3")
        int maxRetries();

        /** Wait before the first retry; doubles for each further one. */
        @WithDefault("1s")
        Duration initialDelay();

        /** Cap of any wait between attempts, Retry-After included. */
        @WithDefault("30s")
        Duration maxDelay();

        /** Random spread added to each wait. */
        @WithDefault("200ms")
        Duration jitter();

        /**
         * HTTP statuses that count as transient (retried): statuses ({@code 409}), ranges ({@code 520-527}) and
         * classes ({@code 5xx}: every 5xx but 501 and 505, which say the API cannot do the request at all). Every
         * other non-2xx status is permanent.
         */
        @WithDefault("408,425,429,5xx")
        List<String> onStatus();

        /**
         * Retries allowed per first attempt over a run, plus 10; once spent, a transient fault sends the
         * record to failed/ without retrying. {@code -1} turns the budget off.
         */
        @WithDefault("0.5")
        double budget();
    }

    interface Breaker {
        /** Records that ran out of retries, in a rolling window of that many, that open the breaker. */
        @WithDefault("5")
        int failureThreshold();

        /** How long the breaker stays open before one trial record is let through. */
        @WithDefault("60s")
        Duration delay();
    }

    interface Delivery {
        /**
         * Requests in flight at once, at most: the records in delivery (one request each at a time), adapted below
         * this by {@code AdaptiveConcurrency}.
         */
        @WithDefault("8")
        int concurrency();

        /**
         * Requests per second at most, retries included (a token bucket: a request waits for its turn outside its
         * timeout and its retry count, and never fails for it). Unset: no limit. Must be above 0.
         */
        OptionalDouble rateLimit();

        /**
         * Records refused in a row with an answer that says the URL or the API is wrong (any 3xx, 404, 405, 406, 415,
         * 501, 505, or a 4xx whose body is not JSON) that stop the run with exit 76: those records go to failed/, not
         * rejected/, and the rest of the input is not touched. {@code 0} turns the rule off (such answers then reject
         * the record like any other permanent refusal).
         */
        @WithDefault("20")
        int refusalStop();

        /**
         * A record whose content hash (SHA-256 of key and canonical JSON) equals that of the last version delivered
         * for its key ({@code state/delivered.mv}) is settled as {@code unchanged} without a request. Entries that
         * {@code ferry verify --repair} queues are sent all the same: the API differs from what was delivered.
         */
        @WithDefault("true")
        boolean skipUnchanged();
    }

    /** Full exports: files that name every key there is, so that a key they leave out is deleted at the API. */
    interface Snapshot {
        /**
         * A glob of file names (e.g. {@code customers-*.csv}) that are full snapshots: once such a file is settled
         * with no record failed, given up or unreadable, every key delivered before and absent from it is deleted
         * ({@code DELETE} on the record URL, with the retries, breaker, rate limit and idempotency of any request).
         * Unset: no file is a snapshot, nothing is ever deleted.
         */
        Optional<String> pattern();

        /**
         * A snapshot that would delete more than this share of the keys ferry knows deletes nothing: the run stops
         * with exit 76 and the file waits in processing/ until a run with a higher value (or without the file).
         * {@code 0}: any delete needs an operator; {@code 1}: no limit.
         */
        @WithDefault("0.1")
        double maxDeleteRatio();
    }

    Failed failed();

    Replay replay();

    Shard shard();

    interface Failed {
        /**
         * Runs that may try a record from failed/ without delivering it: after that many, the next run gives it up
         * (rejected/, reason "gave up after N runs") instead of sending it again. Its later versions go on normally.
         */
        @WithDefault("10")
        int maxRuns();

        /** The same by time since the record first failed. */
        @WithDefault("7d")
        Duration maxAge();
    }

    interface Replay {
        /**
         * The part of {@code ferry.run.max-duration} that replaying failed/ may take before the run turns to the
         * inbox, so that old failures never starve new input; what is not replayed then waits for the next run.
         */
        @WithDefault("0.5")
        double maxShare();
    }

    /**
     * Several processes sharing one data dir (a Kubernetes Indexed Job), each delivering the keys of its shard:
     * those with {@code hash(key) mod count == index} (the hash in docs/reference.md). Each keeps its own state
     * folder, failed/ folder, breaker, lock and checkpoints; a file reaches done/ when every shard finished it.
     */
    interface Shard {
        /**
         * How many processes share the data dir; 1 (default) is the unsharded run. The rate limit is divided by it.
         * A run whose count differs from the count that left work on the volume (a file in processing/, failed/
         * records, checkpoints) refuses to start (exit 78): finish that work with the old count first.
         */
        @WithDefault("1")
        int count();

        /**
         * This process's shard, from 0 to {@code count - 1}. Unset: the {@code JOB_COMPLETION_INDEX} an Indexed
         * Job gives each of its pods, else 0.
         */
        @WithDefault("${JOB_COMPLETION_INDEX:0}")
        int index();
    }

    interface Run {
        /** The run checkpoints and exits before this much time has passed. */
        @WithDefault("50m")
        Duration maxDuration();

        /**
         * The process exit code of a run that leaves work for the next one (exit code 75). A scheduler that
         * reads any non-zero code as a failure (a Kubernetes Job) can be given 0 here, so that normal operation does
         * not look failed; reports/ and the {@code ferry_last_exit_code} gauge keep the real 75 either way.
         */
        @WithDefault("75")
        int workLeftExitCode();
    }

    interface Metrics {
        /** Pushgateway base URL, e.g. {@code http://pushgateway:9091}. Unset: nothing is pushed. */
        Optional<URI> pushgatewayUrl();

        /** How often metrics are pushed during a run (and once at exit). */
        @WithDefault("15s")
        Duration pushInterval();

        /** Extra grouping labels for the push (besides job=ferry), e.g. instance, shard. */
        Map<String, String> grouping();
    }

    interface Verify {
        /** Read-back requests per second at most. */
        @WithDefault("5")
        double rate();

        /** Path template of the read-back GET; defaults to ferry.target.path. */
        Optional<String> path();

        /**
         * The fields compared: unset, the whole object; {@code *}, only the fields the file had (the API may
         * add its own); otherwise this list.
         */
        Optional<List<String>> fields();

        /** Most reads one {@code ferry verify} makes; the rest waits for {@code --resume}. Unset: no limit. */
        OptionalLong budget();

        /** Cron on which {@code ferry serve} also runs verify; unset: never. */
        Optional<String> schedule();

        /**
         * How long after an ambiguous answer (a timeout, 502/504/520/524, a reset after sending; or a request in
         * flight when a run was killed) a key is read back, paced by {@code ferry.verify.rate}, and re-sent with a
         * fresh Idempotency-Key if the API holds anything but the last version delivered: an API may apply such a
         * request late, after a newer one. Longer than the API may take to apply a request; checked by a later run
         * when the run ends first. {@code 0}: off.
         */
        @WithDefault("2m")
        Duration ambiguousAfter();
    }

    interface Log {
        /** How often a long run logs its progress (records/s, outcomes, retries, breaker, backlog); {@code 0}: never. */
        @WithDefault("30s")
        Duration progressInterval();

        /**
         * One line per request attempt on the logger {@code dev.ferry.audit}: method, path, status or fault,
         * latency, Idempotency-Key, attempt. Never the Authorization header nor a record body.
         */
        @WithDefault("false")
        boolean audit();

        /**
         * Record fields whose values are never logged: masked in the API answers that log lines show (bodies
         * that are not JSON are left out), and when the key field is one, the key is masked too.
         */
        Optional<List<String>> redactFields();
    }
}
