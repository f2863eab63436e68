package dev.netbench.json;

/** Text that is not the JSON it should be; the message says what and where. */
public final class JsonException extends IllegalArgumentException {
    public JsonException(String message) {
        super(message);
    }
}
