package dev.ferry.metrics;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.Shard;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.PushGateway;

/**
 * Pushes the whole Prometheus registry (ferry_*, ft_*, jvm_* ...) to a Pushgateway during a run
 * (docs/reference.md, Metrics): a run pod lives for minutes, so nothing could scrape it. Group: {@code job="ferry"}
 * plus {@code ferry.metrics.grouping.*}, {@code instance} defaulting to the host name and, in Kubernetes,
 * {@code namespace} to the pod's namespace: two releases of the same name in two namespaces would otherwise
 * push to one group and overwrite each other. For the same reason each shard ({@code ferry.shard.count} > 1)
 * pushes with {@code shard} = its index. Each push is a PUT, which replaces the group's previous metrics. Does nothing when
 * {@code ferry.metrics.pushgateway-url} is unset.
 * <p>
 * A push that fails is logged once per run at WARN and never fails the run. Lifecycle per run:
 * {@link #start()} then {@link #stop()} (serve mode runs many), or only {@link #pushOnce()} for a run
 * that ends before it starts. Thread-safe.
 */
@ApplicationScoped
public class PushgatewayPusher {

    public static final String JOB = "ferry";
    private static final Logger LOG = Logger.getLogger(PushgatewayPusher.class);
    // a dead Pushgateway must not hold up the end of a run for long
    static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    static final int READ_TIMEOUT_MILLIS = 5_000;
    /** Mounted into every pod whose service account token is mounted (the Kubernetes default). */
    static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    private final Optional<URI> url;
    private final Duration interval;
    private final Map<String, String> grouping;
    private final Instance<PrometheusMeterRegistry> registry;
    private ScheduledExecutorService scheduler;
    private boolean warned;

    public PushgatewayPusher(FerryConfig config, Instance<PrometheusMeterRegistry> registry) {
        this.url = config.metrics().pushgatewayUrl().map(PushgatewayPusher::withoutUserInfo);
        this.interval = config.metrics().pushInterval();
        this.grouping = groupingKey(config.metrics().grouping(), hostName(),
                podNamespace(System.getenv("POD_NAMESPACE"), SERVICE_ACCOUNT_NAMESPACE), Shard.of(config));
        this.registry = registry;
    }

    /**
     * The URL without a {@code user:password@}: HttpURLConnection never sends it, and the log lines and the
     * Pushgateway client's errors would show it.
     */
    static URI withoutUserInfo(URI url) {
        String userInfo = url.getRawUserInfo();
        if (userInfo == null) {
            return url;
        }
        String text = url.toString();
        int at = text.indexOf(userInfo + "@");
        return URI.create(text.substring(0, at) + text.substring(at + userInfo.length() + 1));
    }

    /**
     * The grouping labels besides job: the configured ones, sorted; {@code instance} = the host name and
     * {@code namespace} = the pod's namespace (when known) unless configured; {@code shard} = the shard's index when
     * there are several, whatever is configured: shards pushing to one group would replace each other's metrics.
     */
    static Map<String, String> groupingKey(Map<String, String> configured, String hostName, Optional<String> namespace,
            Shard shard) {
        Map<String, String> key = new TreeMap<>(configured);
        key.putIfAbsent("instance", hostName);
        namespace.ifPresent(name -> key.putIfAbsent("namespace", name));
        if (!shard.single()) {
            key.put("shard", Integer.toString(shard.index()));
        }
        return Collections.unmodifiableMap(key);
    }

    /**
     * The Kubernetes namespace this process runs in: {@code POD_NAMESPACE} (set from the downward API), else the
     * service account's namespace file; empty outside Kubernetes.
     */
    static Optional<String> podNamespace(String podNamespaceEnv, Path serviceAccountNamespace) {
        if (podNamespaceEnv != null && !podNamespaceEnv.isBlank()) {
            return Optional.of(podNamespaceEnv.strip());
        }
        try {
            String name = Files.readString(serviceAccountNamespace).strip();
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        } catch (IOException | RuntimeException notInAPod) {
            return Optional.empty();
        }
    }

    /** At run start: periodic pushes every {@code ferry.metrics.push-interval} on a daemon thread. */
    public synchronized void start() {
        warned = false;
        if (scheduler != null || !canPush()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ferry-pushgateway");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(100, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::push, millis, millis, TimeUnit.MILLISECONDS);
        LOG.debugf("pushing metrics to %s every %s, grouping %s", url.get(), interval, grouping);
    }

    /** At run end (also on early exits): stops the periodic pushes, then pushes the final values once. */
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
            scheduler = null;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            // a periodic push under way ends within its timeouts
            running.awaitTermination(CONNECT_TIMEOUT_MILLIS + READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        push();
    }

    /**
     * One push now, for a run that ends before {@link #start()} (exit 78: a configuration error found by the
     * run itself); like the final push of {@link #stop()}, a failure is logged once and never thrown.
     */
    public synchronized void pushOnce() {
        warned = false;
        if (canPush()) {
            push();
        }
    }

    private boolean canPush() {
        if (url.isEmpty()) {
            return false;
        }
        if (!registry.isResolvable()) {
            LOG.warn("ferry.metrics.pushgateway-url is set, but there is no Prometheus registry to push");
            return false;
        }
        return true;
    }

    /** One push of the whole registry; a failure is logged (once per run), never thrown. */
    synchronized void push() {
        try {
            CollectorRegistry collectors = registry.get().getPrometheusRegistry();
            PushGateway gateway = new PushGateway(url.get().toURL());
            gateway.setConnectionFactory(target -> {
                HttpURLConnection connection = (HttpURLConnection) new URL(target).openConnection();
                connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
                connection.setReadTimeout(READ_TIMEOUT_MILLIS);
                return connection;
            });
            gateway.push(collectors, JOB, grouping);
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warnf("cannot push metrics to %s (%s); the run goes on, further push failures of this run "
                        + "are not logged", url.get(), e.toString().strip());
            } else {
                LOG.debugf("cannot push metrics: %s", e);
            }
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME"); // the pod name in Kubernetes
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
