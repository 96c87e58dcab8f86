package io.splitrank.app.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on {@code <data-dir>/splitrank.lock}, held by the Splitrank that runs on the
 * directory for as long as it runs, with that process's pid in the file. The operating system drops
 * the lock when the process ends, however it ends (SIGKILL included), so a free lock means that no
 * live Splitrank uses the directory: whatever it left there (a PostgreSQL server still running) is
 * an orphan. A lock held elsewhere fails startup with {@link DataDirectoryInUseException}.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "splitrank.lock";

    /**
     * The directories locked in this JVM (several application contexts, as in tests): a second
     * channel on a locked file must never be opened here, since closing it would drop the lock of
     * the first (POSIX locks belong to the process, not to the channel).
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of a data directory (created if missing).
     *
     * @param dataDir the directory
     * @param shownAs the directory as the user gave it, for the message
     * @throws DataDirectoryInUseException when a live process holds it
     */
    static DataDirectoryLock acquire(Path dataDir, String shownAs) {
        Path file = dataDir.resolve(FILE_NAME);
        Path key = null;
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            key = dataDir.toRealPath();
            if (!HELD_HERE.add(key)) {
                Path held = key;
                key = null;
                throw DataDirectoryInUseException.runningSplitrank(
                        shownAs + " (" + held + ")", ProcessHandle.current().pid());
            }
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw DataDirectoryInUseException.runningSplitrank(shownAs, holder(channel));
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(
                            (ProcessHandle.current().pid() + "\n")
                                    .getBytes(StandardCharsets.US_ASCII)),
                    0);
            channel.force(true);
            return new DataDirectoryLock(key, channel, lock);
        } catch (IOException e) {
            release(key, channel);
            throw new UncheckedIOException("could not lock the data directory " + shownAs, e);
        } catch (RuntimeException e) {
            release(key, channel);
            throw e;
        }
    }

    /** The pid the holder wrote in the file; 0 if it has not written it yet. */
    private static long holder(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(32);
        channel.read(content, 0);
        String text = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII);
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void release(Path key, FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
        if (key != null) {
            HELD_HERE.remove(key);
        }
    }

    /**
     * Lets go of the directory; the file stays (removing it would let two processes lock two
     * different files of the same name).
     */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD_HERE.remove(key);
            }
        }
    }
}
