// One Kafka broker in KRaft mode (broker and controller in one node, on localhost) for
// scripts/bench-kafka-nodes.sh, from Kafka's own test kit, as KafkaTestBroker starts it in the app's
// tests. Run with the app's test classpath (java's source-file mode):
//   java -cp "$(cat cp.txt)" scripts/KafkaBenchBroker.java <bootstrap-file> <max-seconds>
// Writes the bootstrap servers to <bootstrap-file> once ready, and stops by itself after
// <max-seconds> (or when killed: a shutdown hook closes the cluster and removes its log directories).
// With --describe-group <bootstrap> <group> it prints the group's members and their partitions instead.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

public final class KafkaBenchBroker {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("--describe-group")) {
            describe(args[1], args[2]);
            return;
        }
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .build();
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        cluster.close();
                                    } catch (Exception e) {
                                        System.err.println("closing the broker: " + e);
                                    }
                                }));
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        String bootstrap = cluster.bootstrapServers();
        System.out.println("broker ready: " + bootstrap);
        Path tmp = Path.of(args[0] + ".tmp");
        Files.writeString(tmp, bootstrap);
        Files.move(tmp, Path.of(args[0]));
        Thread.sleep(Long.parseLong(args[1]) * 1000L);
        System.out.println("time limit reached, stopping the broker");
        System.exit(0);
    }

    private static void describe(String bootstrap, String group) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            System.out.println(
                    "consumer group " + group + ": " + d.members().size() + " consumers");
            for (MemberDescription m : d.members()) {
                TreeSet<Integer> partitions = new TreeSet<>();
                m.assignment().topicPartitions().forEach(tp -> partitions.add(tp.partition()));
                System.out.println(
                        "  " + m.clientId() + " (" + m.host() + ") partitions " + partitions);
            }
        }
    }
}
