/**
 * Run-time administration: the runtime API's server commands ({@link dev.sluice.balancer.admin.ServerAdmin}),
 * answering in HAProxy 2.6's words so that existing scripts keep working.
 */
package dev.sluice.balancer.admin;
