package dev.ferry.core;

/** How one request ended; the {@code result} tag of {@code ferry_requests_total}. */
public enum RequestResult {
    SUCCESS("2xx"), REDIRECT("3xx"), CLIENT_ERROR("4xx"), SERVER_ERROR("5xx"), TIMEOUT("timeout"),
    CONNECTION("connection");

    private final String tag;

    RequestResult(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    public static RequestResult ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        if (status >= 300 && status < 400) {
            return REDIRECT;
        }
        return status >= 500 ? SERVER_ERROR : CLIENT_ERROR;
    }
}
