package dev.sluice.terminator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class HandshakeFailureTest {

    @Test
    void classifiesByTypeThenByBoringSslReason() {
        assertEquals(HandshakeFailure.TIMEOUT, HandshakeFailure.of(new SslHandshakeTimeoutException("timed out")));
        assertEquals(HandshakeFailure.CLIENT_CLOSED, HandshakeFailure.of(new ClosedChannelException()));
        assertEquals(HandshakeFailure.NOT_TLS, HandshakeFailure.of(new SSLHandshakeException(
                "error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER")));
        assertEquals(HandshakeFailure.NOT_TLS, HandshakeFailure.of(new SSLHandshakeException(
                "error:1000009c:SSL routines:OPENSSL_internal:HTTP_REQUEST")));
        assertEquals(HandshakeFailure.PROTOCOL_VERSION, HandshakeFailure.of(new SSLHandshakeException(
                "error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL")));
        assertEquals(HandshakeFailure.NO_SHARED_CIPHER, HandshakeFailure.of(new SSLHandshakeException(
                "error:100000b8:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER")));
        assertEquals(HandshakeFailure.CLIENT_ALERT, HandshakeFailure.of(new SSLHandshakeException(
                "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE")));
        assertEquals(HandshakeFailure.OTHER, HandshakeFailure.of(new SSLHandshakeException("something new")));
        assertEquals(HandshakeFailure.UNKNOWN_NAME, HandshakeFailure.of(new io.netty.handler.codec.DecoderException(
                new SSLHandshakeException("no certificate for server name x.test (sni-nomatch-abort)"))),
                "a wrapped cause is classified by what it wraps");
    }
}
