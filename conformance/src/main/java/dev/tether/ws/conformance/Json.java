package dev.tether.ws.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * JSON for the suite's data and reports, through Jackson: objects read as ordered maps, arrays
 * as lists, numbers as {@link Number}s; maps, lists, strings, numbers and booleans written as
 * indented JSON (RFC 8259).
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter INDENTED = MAPPER.writerWithDefaultPrettyPrinter();

    private Json() {
    }

    /** @throws IllegalArgumentException naming what is wrong when {@code text} is not JSON */
    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String write(Object value) {
        try {
            return INDENTED.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
