package io.splitrank.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which addresses a webhook may reach. The ranges come from the IANA IPv4 and IPv6 Special-Purpose
 * Address Registries (RFC 6890): loopback 127/8 and ::1 (RFC 1122, RFC 4291), private 10/8,
 * 172.16/12, 192.168/16 (RFC 1918), shared 100.64/10 (RFC 6598), link-local 169.254/16 (RFC 3927;
 * 169.254.169.254 is the cloud metadata service) and fe80::/10, unique local fc00::/7 (RFC 4193),
 * multicast 224/4 and ff00::/8, "this network" 0/8, reserved 240/4; localhost names (RFC 6761).
 * 93.184.216.34 and 2606:2800:220:1:248:1893:25c8:1946 are public (example.com's long-time
 * addresses, in ARIN's allocation to Edgecast).
 */
class WebhookAddressesTest {

    final WebhookAddresses refusing = new WebhookAddresses(new WebhookProperties(false));
    final WebhookAddresses allowing = new WebhookAddresses(new WebhookProperties(true));

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.1.2.3",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.254",
                "192.168.1.1",
                "100.64.0.1",
                "169.254.169.254",
                "0.0.0.0",
                "0.1.2.3",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fd00::1",
                "fc00::1",
                "fe80::1",
                "ff02::1",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "::127.0.0.1",
                "64:ff9b::a9fe:a9fe",
                "2002:a00:1::1"
            })
    void refusesEveryAddressThatIsNotPublic(String literal) throws Exception {
        InetAddress address = InetAddress.getByName(literal);
        assertThat(WebhookAddresses.isPublic(address)).as(literal).isFalse();
        assertThatThrownBy(() -> refusing.checkResolved(literal))
                .isInstanceOf(WebhookAddresses.RefusedAddressException.class)
                .hasMessageContaining(address.getHostAddress());
        assertThatCode(() -> allowing.checkResolved(literal)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "8.8.8.8",
                "172.32.0.1",
                "100.128.0.1",
                "2606:2800:220:1:248:1893:25c8:1946",
                "::ffff:93.184.216.34"
            })
    void acceptsPublicAddresses(String literal) throws Exception {
        assertThat(WebhookAddresses.isPublic(InetAddress.getByName(literal))).as(literal).isTrue();
        assertThatCode(() -> refusing.checkResolved(literal)).doesNotThrowAnyException();
    }

    @Test
    void aNameIsJudgedByWhatItResolvesTo() {
        // localhost resolves without DNS, from the hosts file or the JDK itself
        assertThatThrownBy(() -> refusing.checkResolved("localhost"))
                .isInstanceOf(WebhookAddresses.RefusedAddressException.class)
                .hasMessageContaining("loopback");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8080/hook",
                "http://10.1.2.3/hook",
                "http://169.254.169.254/latest/meta-data/",
                "https://[::1]/hook",
                "http://[fd00::1]:9000/",
                "http://[::ffff:192.168.0.1]/",
                "http://localhost/hook",
                "http://LOCALHOST.:8080/",
                "http://hooks.localhost/",
                "http://2130706433/",
                "http://0177.0.0.1/"
            })
    void refusesLocalhostAndPrivateLiteralsInAUrlWithoutAskingDns(String url) {
        assertThat(refusing.refusalAtDefinition(url)).as(url).isPresent();
        assertThat(allowing.refusalAtDefinition(url)).as(url).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://93.184.216.34/hook",
                "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
                "https://hooks.example.com/splitrank",
                "https://10.example.com/"
            })
    void leavesPublicLiteralsAndNamesToTheCall(String url) {
        assertThat(refusing.refusalAtDefinition(url)).as(url).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.1/",
                "http://0x7f.1/",
                "http://my_host/",
                "http://a b/",
                "http://"
            })
    void refusesUrlsWithoutAHostTheClientCouldCallEvenWhenPrivateAddressesAreAllowed(String url) {
        assertThat(refusing.refusalAtDefinition(url)).as(url).isPresent();
        assertThat(allowing.refusalAtDefinition(url)).as(url).isPresent();
    }

    @Test
    void theRefusalSaysWhatKindOfAddressItIs() {
        assertThat(refusing.refusalAtDefinition("http://169.254.169.254/latest/meta-data/"))
                .hasValueSatisfying(
                        why ->
                                assertThat(why)
                                        .contains("169.254.169.254 is link-local")
                                        .contains("splitrank.webhooks.allow-private"));
    }
}
