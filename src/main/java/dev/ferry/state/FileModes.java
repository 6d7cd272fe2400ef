package dev.ferry.state;

import java.nio.file.FileSystems;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The modes of what ferry creates on the volume: folders {@code rwxr-x---}, files {@code rw-r-----}. Nothing
 * for others, since failed/ and rejected/ hold records and state/ what was delivered (files ferry
 * writes are not world-readable); the group keeps read access, which the chart's {@code fsGroup} relies on.
 * Given at creation, so no file is ever readable by others, even for a moment. On a file system without
 * POSIX modes there is nothing to give.
 */
final class FileModes {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] NONE = {};

    private FileModes() {
    }

    static FileAttribute<?>[] file() {
        return POSIX ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")) }
                : NONE;
    }

    static FileAttribute<?>[] folder() {
        return POSIX ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")) }
                : NONE;
    }
}
