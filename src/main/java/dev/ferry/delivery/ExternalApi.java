package dev.ferry.delivery;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.ferry.target.TargetHeaders;

import io.quarkus.rest.client.reactive.Url;

/**
 * The external API. Each call gets the full record URL ({@code ferry.target.url} + the expanded
 * {@code ferry.target.path}); answers come back as {@link Response} whatever their status, and
 * {@link FaultClassifier} decides what they mean. Timeouts and pool size come from
 * {@code ferry.request.timeout} and {@code ferry.delivery.concurrency}.
 * <p>
 * Bodies go out as the record's JSON bytes, already serialized: a {@code String} body with a JSON media
 * type would go through the Jackson message body writer, which looks up {@code @JsonView} on the
 * method's parameter annotations, re-parsed by the JDK on every call (10 % of ferry's CPU in a profile).
 * <p>
 * Credentials, static headers and User-Agent are added by {@link TargetHeaders}; TLS settings come from the TLS
 * registry ({@code dev.ferry.target.tls.TargetTls}).
 */
@RegisterRestClient(configKey = "ferry-api")
@RegisterProvider(TargetHeaders.class)
public interface ExternalApi {

    String IDEMPOTENCY_KEY = "Idempotency-Key";

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    Response put(@Url URI url, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            byte[] body);

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response post(@Url URI url, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            byte[] body);

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    Response patch(@Url URI url, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            byte[] body);

    @GET
    Response get(@Url URI url);

    /** Removes a record a snapshot no longer names; 404 and 410 mean it is gone already. */
    @DELETE
    Response delete(@Url URI url, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey);
}
