package io.splitrank.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory's lock within one JVM; {@link CrashRecoveryTest} has it across processes and
 * after a SIGKILL.
 */
class DataDirectoryLockTest {

    @TempDir Path temp;

    @Test
    void oneHolderAtATimeAndTheHoldersPidInTheFile() throws Exception {
        Path dir = temp.resolve("data");
        long me = ProcessHandle.current().pid();
        try (DataDirectoryLock held = DataDirectoryLock.acquire(dir, "./data")) {
            assertThat(Files.readString(dir.resolve(DataDirectoryLock.FILE_NAME)).trim())
                    .isEqualTo(Long.toString(me));
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir, "./data"))
                    .isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessageStartingWith("data directory ./data (")
                    .hasMessageContaining(") is in use by a running Splitrank (pid " + me + ")");
            // the refused attempt did not release the holder's lock
            assertThatThrownBy(() -> DataDirectoryLock.acquire(dir, "./data"))
                    .isInstanceOf(DataDirectoryInUseException.class);
        }
        DataDirectoryLock.acquire(dir, "./data").close();
    }
}
