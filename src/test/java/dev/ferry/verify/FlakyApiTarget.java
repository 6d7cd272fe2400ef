package dev.ferry.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Points ferry at a {@link dev.ferry.demo.FlakyApi} that the test starts on a port chosen here. */
public class FlakyApiTarget implements QuarkusTestProfile {

    /** Kept in a system property: Quarkus loads this class in the test's and the application's class loader. */
    public static final int PORT = Integer.parseInt(System.getProperties().computeIfAbsent("flakyapi.test.port",
            name -> Integer.toString(freePort())).toString());

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ferry.target.url", "http://127.0.0.1:" + PORT, "ferry.verify.rate", "200");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
