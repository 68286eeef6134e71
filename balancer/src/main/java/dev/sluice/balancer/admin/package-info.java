/**
 * The runtime API ({@code stats socket}): {@link dev.sluice.balancer.admin.CliServer} listens,
 * {@link dev.sluice.balancer.admin.CliSession} reads command lines and checks levels,
 * {@link dev.sluice.balancer.admin.CliCommands} is the table of command words to handlers and
 * {@link dev.sluice.balancer.admin.RuntimeApi} registers the built-in commands. Other parts add
 * theirs with one {@code register} call each; {@link dev.sluice.balancer.admin.ServerAdmin} holds the
 * server commands. Replies are HAProxy 2.6's words, so that existing scripts keep working.
 */
package dev.sluice.balancer.admin;
