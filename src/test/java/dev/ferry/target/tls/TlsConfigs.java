package dev.ferry.target.tls;

import java.nio.file.Path;
import java.util.Optional;

import dev.ferry.config.FerryConfig;

/** {@code ferry.target.tls.*} values for plain unit tests. */
record TlsConfigs(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile, boolean verifyHostname)
        implements FerryConfig.Tls {

    static TlsConfigs none() {
        return new TlsConfigs(Optional.empty(), Optional.empty(), Optional.empty(), true);
    }

    TlsConfigs ca(Path file) {
        return new TlsConfigs(Optional.of(file), certFile, keyFile, verifyHostname);
    }

    TlsConfigs client(Path cert, Path key) {
        return new TlsConfigs(caFile, Optional.ofNullable(cert), Optional.ofNullable(key), verifyHostname);
    }

    TlsConfigs hostnames(boolean verify) {
        return new TlsConfigs(caFile, certFile, keyFile, verify);
    }
}
