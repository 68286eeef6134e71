package dev.sluice.balancer.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server for tests, on Netty's DNS codec: UDP on 127.0.0.1, records changeable
 * while it runs. A name with no record at all answers NXDOMAIN; a name with records of other types only
 * answers NOERROR without records. SRV answers carry the targets' A records in the additional section.
 */
public final class TestDnsServer implements AutoCloseable {
    private static final int TTL_SECONDS = 1;

    /** An SRV record: target host name, port, weight and priority. */
    public record Srv(String target, int port, int weight, int priority) {
    }

    private record Zone(List<InetAddress> a, List<InetAddress> aaaa, List<Srv> srv) {
        static final Zone EMPTY = new Zone(List.of(), List.of(), List.of());

        boolean empty() {
            return a.isEmpty() && aaaa.isEmpty() && srv.isEmpty();
        }
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private final Map<String, Zone> zones = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean silent;
    private volatile boolean additional = true;

    public TestDnsServer(int port) {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-dns"), NioIoHandler.newFactory());
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Answer());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** How many queries were answered so far. */
    public int queries() {
        return queries.get();
    }

    /** Sets the A records of {@code name} (none: the name disappears unless it has other records). */
    public TestDnsServer a(String name, String... addresses) {
        Zone zone = zones.getOrDefault(key(name), Zone.EMPTY);
        return put(name, new Zone(parse(addresses), zone.aaaa(), zone.srv()));
    }

    public TestDnsServer aaaa(String name, String... addresses) {
        Zone zone = zones.getOrDefault(key(name), Zone.EMPTY);
        return put(name, new Zone(zone.a(), parse(addresses), zone.srv()));
    }

    public TestDnsServer srv(String label, Srv... records) {
        Zone zone = zones.getOrDefault(key(label), Zone.EMPTY);
        return put(label, new Zone(zone.a(), zone.aaaa(), List.of(records)));
    }

    /** While silent, queries get no answer at all (a name server that is down: the resolver times out). */
    public TestDnsServer silent(boolean newSilent) {
        silent = newSilent;
        return this;
    }

    /** Whether SRV answers carry their targets' addresses (else the resolver must ask for them). */
    public TestDnsServer additionalRecords(boolean newAdditional) {
        additional = newAdditional;
        return this;
    }

    /** Removes every record of {@code name}: it answers NXDOMAIN. */
    public TestDnsServer remove(String name) {
        zones.remove(key(name));
        return this;
    }

    private TestDnsServer put(String name, Zone zone) {
        if (zone.empty()) {
            zones.remove(key(name));
        } else {
            zones.put(key(name), zone);
        }
        return this;
    }

    private static List<InetAddress> parse(String... addresses) {
        return java.util.Arrays.stream(addresses).map(text -> {
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address: " + text);
            }
            return address;
        }).toList();
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private final class Answer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            queries.incrementAndGet();
            if (silent) {
                return;
            }
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id(),
                    DnsOpCode.QUERY);
            response.setAuthoritativeAnswer(true).setRecursionDesired(query.isRecursionDesired())
                    .setRecursionAvailable(true);
            if (query.count(DnsSection.QUESTION) != 1) {
                response.setCode(DnsResponseCode.FORMERR);
                ctx.writeAndFlush(response);
                return;
            }
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            response.addRecord(DnsSection.QUESTION, question);
            Zone zone = zones.get(key(question.name()));
            if (zone == null) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else {
                response.setCode(DnsResponseCode.NOERROR);
                DnsRecordType type = question.type();
                if (type == DnsRecordType.A) {
                    zone.a().forEach(address -> response.addRecord(DnsSection.ANSWER, address(question.name(), address)));
                } else if (type == DnsRecordType.AAAA) {
                    zone.aaaa().forEach(address -> response.addRecord(DnsSection.ANSWER, address(question.name(), address)));
                } else if (type == DnsRecordType.SRV) {
                    for (Srv srv : zone.srv()) {
                        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.SRV,
                                TTL_SECONDS, srvContent(srv)));
                        Zone target = zones.get(key(srv.target()));
                        if (target != null && additional) {
                            target.a().forEach(address -> response.addRecord(DnsSection.ADDITIONAL,
                                    address(fqdn(srv.target()), address)));
                        }
                    }
                }
            }
            ctx.writeAndFlush(response);
        }
    }

    private static String fqdn(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    private static DefaultDnsRawRecord address(String name, InetAddress address) {
        DnsRecordType type = address.getAddress().length == 4 ? DnsRecordType.A : DnsRecordType.AAAA;
        return new DefaultDnsRawRecord(name, type, TTL_SECONDS, Unpooled.wrappedBuffer(address.getAddress()));
    }

    /** RFC 2782: priority, weight, port, then the target as uncompressed labels. */
    private static ByteBuf srvContent(Srv srv) {
        ByteBuf content = Unpooled.buffer();
        content.writeShort(srv.priority()).writeShort(srv.weight()).writeShort(srv.port());
        for (String label : key(srv.target()).split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            content.writeByte(bytes.length).writeBytes(bytes);
        }
        content.writeByte(0);
        return content;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
