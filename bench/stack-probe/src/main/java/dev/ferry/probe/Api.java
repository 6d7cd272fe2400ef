package dev.ferry.probe;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Uni;

/** ferry's REST client method (dev.ferry.delivery.ExternalApi#put), blocking as ferry calls it and as a Uni. */
@RegisterRestClient(configKey = "api")
public interface Api {

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    Response put(@Url URI url, @HeaderParam("Idempotency-Key") String idempotencyKey, byte[] body);

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> putAsync(@Url URI url, @HeaderParam("Idempotency-Key") String idempotencyKey, byte[] body);
}
