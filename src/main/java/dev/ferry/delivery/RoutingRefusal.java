package dev.ferry.delivery;

/**
 * A refusal that says the URL or the API is wrong rather than the record: any 3xx, 404,
 * 405, 406, 415, 501, 505, a 4xx whose body is not JSON, a status of no HTTP class, or a 2xx HTML page. Many in a row stop the run ({@code ferry.delivery.refusal-stop}).
 */
public class RoutingRefusal extends PermanentFault {

    public RoutingRefusal(int status, String bodyExcerpt) {
        super(status, bodyExcerpt);
    }
}
