package dev.ferry.target.auth;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.Url;

/**
 * An OAuth2 token endpoint ({@code ferry.target.oauth2.token-url}), on the same REST client stack as the API: same
 * timeouts and TLS settings, set by {@code FrameworkConfigSourceFactory} under the config key {@code ferry-token}.
 * The answer comes back whatever its status; {@link ClientCredentialsGrant} decides what it means.
 */
@RegisterRestClient(configKey = "ferry-token")
public interface TokenEndpoint {

    /**
     * @param clientAuthorization {@code Basic …} for {@code client-auth=basic}; null (no header) for {@code post}
     * @param form                the urlencoded grant request
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Response token(@Url URI url, @HeaderParam("Authorization") String clientAuthorization, byte[] form);
}
