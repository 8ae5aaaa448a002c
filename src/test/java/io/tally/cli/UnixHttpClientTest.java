package io.tally.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnixHttpClientTest {
    private static UnixHttpClient.Response parse(String raw) throws IOException {
        return UnixHttpClient.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsChunkedLengthAndCloseDelimitedBodies() throws IOException {
        assertEquals(new UnixHttpClient.Response(200, "[{\"a\":1}]\n"),
                parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[{\"a\r\n6;x=y\r\n\":1}]\n\r\n0\r\n\r\n"));
        assertEquals(new UnixHttpClient.Response(400, "{\"message\":\"no\"}"),
                parse("HTTP/1.1 400 Bad Request\r\nContent-Length: 16\r\n\r\n{\"message\":\"no\"}trailing"));
        assertEquals(new UnixHttpClient.Response(404, "gone"), parse("HTTP/1.1 404 Not Found\r\n\r\ngone"));
        assertThrows(IOException.class, () -> parse("SSH-2.0-OpenSSH\r\n"));
    }

    @Test
    void actorsReadAsPeople() throws IOException {
        ObjectMapper json = new ObjectMapper();
        assertEquals("alice (uid 1000, pid 42)", Tables.actor(json.readTree("{\"transport\":\"unix\",\"uid\":1000,\"pid\":42,\"user\":\"alice\"}")));
        assertEquals("tcp 127.0.0.1:5000", Tables.actor(json.readTree("{\"transport\":\"tcp\",\"remoteAddress\":\"127.0.0.1:5000\"}")));
        assertEquals("tallyd: restart policy", Tables.actor(json.readTree("{\"transport\":\"internal\",\"userAgent\":\"restart policy\"}")));
        assertEquals("name=web pid=7", Tables.details(json.readTree("{\"containerId\":\"c\",\"name\":\"web\",\"config\":{},\"pid\":7,\"error\":null}")));
    }
}
