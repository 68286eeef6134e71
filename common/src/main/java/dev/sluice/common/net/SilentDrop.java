package dev.sluice.common.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * Makes a client connection vanish without telling the client, as HAProxy's {@code silent-drop}
 * does: an abusive client keeps waiting on a connection that no longer costs us anything. On epoll
 * the socket is put in TCP repair mode first (Linux, needs CAP_NET_ADMIN), so closing it sends
 * neither FIN nor RST; without that the close resets the connection (SO_LINGER 0), which still
 * frees it at once.
 */
public final class SilentDrop {
    private static final int SOL_TCP = 6;
    private static final int TCP_REPAIR = 19;
    private static final IntegerUnixChannelOption REPAIR = new IntegerUnixChannelOption("TCP_REPAIR", SOL_TCP,
            TCP_REPAIR);

    private SilentDrop() {
    }

    /** Closes {@code channel} silently; returns whether the client was left unaware (repair mode). */
    public static boolean drop(Channel channel) {
        boolean silent = false;
        try {
            silent = channel.config().setOption(REPAIR, 1);
        } catch (ChannelException e) {
            // Not permitted (no CAP_NET_ADMIN) or not a TCP socket: fall back to a reset.
        }
        if (!silent) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (ChannelException e) {
                // Already closed: nothing more to do.
            }
        }
        channel.close();
        return silent;
    }
}
