package dev.ferry.target;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * Puts {@link TargetConnection}'s headers on every request to the API: {@code User-Agent}, the static
 * {@code ferry.target.headers.*} and the credentials. It only reads what is ready (the credentials were prepared on
 * the caller's thread, see {@link dev.ferry.target.auth.Credentials}), so it never blocks whichever thread runs it.
 */
@ApplicationScoped
public class TargetHeaders implements ClientRequestFilter {

    private final TargetConnection connection;

    public TargetHeaders(TargetConnection connection) {
        this.connection = connection;
    }

    @Override
    public void filter(ClientRequestContext request) {
        MultivaluedMap<String, Object> headers = request.getHeaders();
        connection.headers().forEach(headers::putSingle);
        connection.credentials().addHeaders(headers::putSingle);
    }
}
