package dev.weft.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theClassExampleWritesTheMessageObject() {
        String json = new JsonWriter().beginObject().name("message").value("Hello, World!").endObject().toString();

        assertEquals("{\"message\":\"Hello, World!\"}", json);
    }

    @Test
    void membersAndElementsAreSeparatedByCommasAtEveryDepth() {
        String json = new JsonWriter().beginObject()
                .name("a").value(1)
                .name("b").beginArray().value(2).beginObject().name("c").value(true).endObject()
                .beginArray().endArray().value(2.5).endArray()
                .name("d").beginObject().endObject()
                .endObject().toString();

        assertEquals("{\"a\":1,\"b\":[2,{\"c\":true},[],2.5],\"d\":{}}", json);
    }

    @Test
    void stringsAreEscapedSoThatAParserReadsThemBack() throws Exception {
        String nasty = "quote \" backslash \\ newline \n return \r tab \t nul \u0000 bell \u0007 unit \u001f é ✓";
        String json = new JsonWriter().beginObject().name(nasty).value(nasty).endObject().toString();

        JsonNode read = JSON.readTree(json);
        assertEquals(nasty, read.get(nasty).asText());
        assertTrue(json.contains("\\u0000") && json.contains("\\u001f"), json);
    }

    @Test
    void nestingDeeperThanTheInitialStackWorks() throws Exception {
        JsonWriter w = new JsonWriter();
        for (int i = 0; i < 20; i++) {
            w.beginArray().value(i);
        }
        for (int i = 0; i < 20; i++) {
            w.endArray();
        }

        assertEquals(19, JSON.readTree(w.toString()).at("/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/1/0").asInt());
    }

    @Test
    void aNumberJsonCannotCarryIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new JsonWriter().value(Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JsonWriter().value(Double.POSITIVE_INFINITY));
    }
}
