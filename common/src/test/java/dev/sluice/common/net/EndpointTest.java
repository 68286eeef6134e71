package dev.sluice.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void wildcardHost() throws Exception {
        Endpoint.Inet endpoint = (Endpoint.Inet) Endpoint.parse("[*]:443");
        assertTrue(endpoint.wildcard());
        assertEquals(443, endpoint.port());
        assertTrue(((InetSocketAddress) endpoint.socketAddress(Transport.NIO)).getAddress().isAnyLocalAddress());
        assertEquals("[*]:443", endpoint.toString());
    }

    @Test
    void ipv4AndIpv6Hosts() throws Exception {
        assertEquals(new Endpoint.Inet("127.0.0.1", 8000), Endpoint.parse("[127.0.0.1]:8000"));
        Endpoint v6 = Endpoint.parse("[::1]:8080");
        assertEquals(new Endpoint.Inet("::1", 8080), v6);
        assertEquals("0:0:0:0:0:0:0:1",
                     ((InetSocketAddress) v6.socketAddress(Transport.NIO)).getAddress().getHostAddress());
    }

    @Test
    void unixSocketPaths() throws Exception {
        assertEquals(new Endpoint.Unix(Path.of("/run/x.sock")), Endpoint.parse("/run/x.sock"));
        assertEquals(new Endpoint.Unix(Path.of("/run/x.sock")), Endpoint.parse("unix:/run/x.sock"));
        Endpoint unix = Endpoint.parse("/run/x.sock");
        assertTrue(unix.socketAddress(Transport.NIO) instanceof UnixDomainSocketAddress);
        assertTrue(unix.socketAddress(Transport.EPOLL) instanceof DomainSocketAddress);
    }

    @Test
    void refusalsSayWhatIsWrong() {
        assertMessage("'127.0.0.1:80': expected [HOST]:PORT (the brackets are required,", "127.0.0.1:80");
        assertMessage("'[::1:80': missing ']' after the host", "[::1:80");
        assertMessage("'[::1]80': missing ':PORT' after ']'", "[::1]80");
        assertMessage("'[::1]:': missing ':PORT' after ']'", "[::1]:");
        assertMessage("'[]:80': empty host (use [*] for every address)", "[]:80");
        assertMessage("'[*]:http': port 'http' is not a number", "[*]:http");
        assertMessage("'[*]:0': port 0 is out of range (1-65535)", "[*]:0");
        assertMessage("'[*]:65536': port 65536 is out of range (1-65535)", "[*]:65536");
        assertMessage("empty address", "");
        assertMessage("unix socket path: run/x.sock (expected: an absolute path)", "unix:run/x.sock");
    }

    private static void assertMessage(String prefix, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(text));
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
