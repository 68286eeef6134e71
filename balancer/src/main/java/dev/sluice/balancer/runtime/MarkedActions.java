package dev.sluice.balancer.runtime;

/**
 * What a server's health transitions do to the connections already open.
 *
 * @param downShutsSessions      {@code on-marked-down shutdown-sessions}: when the server goes DOWN, every
 *                               connection to it is closed at once instead of lingering on a dead server
 * @param upShutsBackupSessions  {@code on-marked-up shutdown-backup-sessions}: when this (active) server
 *                               comes UP, the connections to the backend's backup servers are closed, so
 *                               that their clients come back to the active servers
 */
public record MarkedActions(boolean downShutsSessions, boolean upShutsBackupSessions) {
    public static final MarkedActions NONE = new MarkedActions(false, false);
}
