package dev.sluice.balancer;

import dev.sluice.balancer.runtime.BindSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.Set;

/** A {@code bind unix@PATH}'s {@code mode}, {@code user}/{@code uid} and {@code group}/{@code gid}, applied once bound. */
final class UnixSocketFile {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private UnixSocketFile() {
    }

    static void apply(Path path, BindSocket socket) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            UserPrincipalLookupService names = path.getFileSystem().getUserPrincipalLookupService();
            // Numeric ids work too: the lookup falls back to them for names that are all digits.
            if (socket.unixUser() != null) {
                view.setOwner(names.lookupPrincipalByName(socket.unixUser()));
            }
            if (socket.unixGroup() != null) {
                GroupPrincipal group = names.lookupPrincipalByGroupName(socket.unixGroup());
                view.setGroup(group);
            }
            if (socket.unixMode() >= 0) {
                view.setPermissions(permissions(socket.unixMode()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the mode or owner of " + path + ": " + e.getMessage(), e);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(BITS[bit]);
            }
        }
        return permissions;
    }
}
