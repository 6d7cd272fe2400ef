package dev.ferry.target.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts {@link TlsServers} with certificates made for this test, and points {@code ferry.target.url} at one of them.
 * Arguments: {@code server} = {@code https} or {@code mtls}; {@code ca-file} and {@code client-cert} = {@code true}
 * to set {@code ferry.target.tls.ca-file}, {@code .cert-file} and {@code .key-file}.
 */
public class TlsServersResource implements QuarkusTestResourceLifecycleManager {

    private TlsServers servers;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        try {
            servers = new TlsServers(Files.createTempDirectory("ferry-tls-test"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("ferry.target.url", TlsServers.url("mtls".equals(args.get("server")) ? servers.mtls : servers.https));
        if (Boolean.parseBoolean(args.get("ca-file"))) {
            config.put("ferry.target.tls.ca-file", servers.dir.resolve("ca.crt").toString());
        }
        if (Boolean.parseBoolean(args.get("client-cert"))) {
            config.put("ferry.target.tls.cert-file", servers.dir.resolve("client.crt").toString());
            config.put("ferry.target.tls.key-file", servers.dir.resolve("client.key").toString());
        }
        return config;
    }

    @Override
    public void stop() {
        if (servers != null) {
            servers.close();
        }
    }
}
