package dev.sluice.balancer.admin;

import dev.sluice.balancer.backend.Server;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code set server B/S addr IP [port PORT]}: moves a server at run time, the same way DNS does
 * ({@link Server#changeAddress}: new connections go to the new address, idle ones to the old are dropped).
 * Answers in HAProxy 2.6's words.
 */
final class AddressCommand {

    static final String USAGE = "set server <b>/<s> addr requires an address and optionally a port.\n";
    private static final String BY = " by 'stats socket command'\n";

    private AddressCommand() {
    }

    /** @param args the words after {@code addr} */
    static String apply(Server server, List<String> args) {
        if (args.isEmpty()) {
            return USAGE;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(args.get(0));
        if (address == null) {
            return "Invalid addr '" + args.get(0) + "'" + BY;
        }
        InetSocketAddress before = server.address();
        if (before.getAddress().isAnyLocalAddress()) {
            // No address yet (init-addr none): HAProxy refuses too. It also ends the resolution maintenance,
            // leaving a server with no address that takes traffic; we leave it in maintenance.
            return "Update for the current server address family is only supported through configuration file"
                    + BY;
        }
        int port = before.getPort();
        String portProblem = null;
        if (args.size() >= 3 && args.get(1).equals("port")) {
            String text = args.get(2);
            if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(text) > 65_535) {
                portProblem = "problem converting port '" + text + "' to an int";
            } else {
                port = Integer.parseInt(text);
            }
        }
        if (portProblem != null) {
            // HAProxy refuses the whole command when the port is bad, and says so after the address part.
            return "no need to change the addr, " + portProblem + BY;
        }
        boolean addressChanged = !address.equals(before.getAddress());
        boolean portChanged = port != before.getPort();
        if (!addressChanged && !portChanged) {
            return "no need to change the addr" + BY;
        }
        server.changeAddress(new InetSocketAddress(address, port));
        StringBuilder answer = new StringBuilder();
        if (addressChanged) {
            answer.append("IP changed from '").append(text(before.getAddress())).append("' to '")
                    .append(text(address)).append('\'');
        } else {
            answer.append("no need to change the addr");
        }
        if (portChanged) {
            answer.append(", port changed from '").append(before.getPort()).append("' to '").append(port)
                    .append('\'');
        }
        return answer.append(BY).toString();
    }

    private static String text(InetAddress address) {
        return NetUtil.toAddressString(address);
    }
}
