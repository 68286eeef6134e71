package dev.sluice.balancer.admin;

import dev.sluice.balancer.runtime.StatsPlan.Level;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One runtime-API connection. A line holds one or more commands separated by {@code ;}; each runs
 * in turn and its reply is followed by an empty line. Without {@code prompt} the connection closes
 * after the first line (HAProxy's one-shot use: {@code echo "show info" | socat stdio UNIX:...});
 * with it, {@code "> "} is printed after each line and the session stays until {@code quit}.
 * Replies are made on the event loop from in-memory figures, never blocking.
 */
public final class CliSession extends SimpleChannelInboundHandler<ByteBuf> {
    static final String PROMPT = "> ";
    static final String PERMISSION_DENIED = "Permission denied\n";
    static final String UNKNOWN = "Unknown command, but maybe one of the following ones is a better match:\n";

    private final CliCommands commands;
    private Level level;
    private boolean interactive;
    private boolean quit;

    CliSession(CliCommands commands, Level level) {
        this.commands = commands;
        this.level = level;
    }

    public Level level() {
        return level;
    }

    /** Lowers the session's level ({@code user}, {@code operator}); never raises it. */
    public void lowerTo(Level lower) {
        if (lower.compareTo(level) < 0) {
            level = lower;
        }
    }

    /** The commands this session's level allows. */
    List<CliCommands.Command> commandsAllowed() {
        return commands.allowed(level);
    }

    void togglePrompt() {
        interactive = !interactive;
    }

    void quit() {
        quit = true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        String text = line.toString(StandardCharsets.UTF_8);
        StringBuilder reply = new StringBuilder();
        for (String command : split(text)) {
            List<String> args = words(command);
            if (args.isEmpty()) {
                continue;
            }
            reply.append(run(args));
            if (quit) {
                break;
            }
            reply.append('\n');
        }
        if (quit) {
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(bytes(reply))).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (interactive) {
            reply.append(PROMPT);
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(bytes(reply)));
        } else {
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(bytes(reply))).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Runs one command with the level check; the reply text. */
    String run(List<String> args) {
        CliCommands.Command command = commands.find(args);
        if (command == null) {
            return unknown(args);
        }
        if (command.level().compareTo(level) > 0) {
            return PERMISSION_DENIED;
        }
        return command.handler().run(this, args);
    }

    /** HAProxy's reply to an unknown command: the closest commands, then help, prompt and quit. */
    private String unknown(List<String> args) {
        StringBuilder reply = new StringBuilder(UNKNOWN);
        List<CliCommands.Command> allowed = commands.allowed(level);
        List<CliCommands.Command> close = new ArrayList<>();
        for (CliCommands.Command command : allowed) {
            if (command.words().get(0).equals(args.get(0)) && !tail(command)) {
                close.add(command);
            }
        }
        for (CliCommands.Command command : close) {
            reply.append(command.helpLine());
        }
        for (CliCommands.Command command : allowed) {
            if (tail(command)) {
                reply.append(command.helpLine());
            }
        }
        return reply.toString();
    }

    /** help, prompt and quit close every list, as in HAProxy. */
    static boolean tail(CliCommands.Command command) {
        String first = command.words().get(0);
        return command.words().size() == 1 && (first.equals("help") || first.equals("prompt") || first.equals("quit"));
    }

    /** Commands separated by {@code ;}; {@code \;} is a literal semicolon. */
    static List<String> split(String line) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == ';') {
                current.append(';');
                i++;
            } else if (c == ';') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        for (String word : command.trim().split("[ \t]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private static byte[] bytes(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // stats timeout: an idle session ends.
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
