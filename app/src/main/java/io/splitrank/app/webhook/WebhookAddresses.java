package io.splitrank.app.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Keeps webhooks out of the platform's own network: unless {@code
 * splitrank.webhooks.allow-private=true}, a webhook may not reach a loopback, link-local (with the
 * cloud metadata address 169.254.169.254), private (RFC 1918, RFC 6598 shared, IPv6 unique local
 * fc00::/7), unspecified, multicast or reserved address. Two checks: when an experiment is defined,
 * on the URL's host alone without asking DNS ({@link #refusalAtDefinition}); when a webhook is
 * called, on every address its host resolves to ({@link #checkResolved}).
 *
 * <p>The JDK has no list of special-purpose addresses beyond {@link InetAddress}'s predicates, and
 * none of the app's libraries has one, hence the few ranges written out here.
 */
@Component
public class WebhookAddresses {

    /** How a host that is an IPv4 address must be written. */
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /**
     * The URL standard (WHATWG) reads a host whose last label is a number (decimal, or hex with 0x)
     * as an IPv4 address in any of its forms ({@code 2130706433}, {@code 0x7f.1}).
     */
    private static final Pattern NUMBER = Pattern.compile("0x[0-9a-f]*|[0-9]+");

    private final boolean allowPrivate;

    public WebhookAddresses(WebhookProperties properties) {
        this.allowPrivate = properties.allowPrivate();
    }

    /**
     * Why this URL may not be a webhook, judged by its host alone and never by asking DNS: it has
     * no host the HTTP client could call, or (unless private addresses are allowed) the host is
     * {@code localhost} or a literal address that is not public. Empty when nothing is wrong with
     * it by that measure; a host name is checked each time the webhook is called.
     */
    public Optional<String> refusalAtDefinition(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return Optional.of("must be an http(s) URL");
        }
        if (host == null) {
            // the JDK's URI finds no server in it (my_host, 127.1, 1.2.3.4.5): nothing it could
            // call
            return Optional.of("must be an http(s) URL with a valid host name or address");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return Optional.of(notPublic(host, "loopback"));
        }
        InetAddress literal;
        if (host.startsWith("[")) {
            try {
                // bracketed, the JDK parses it as an IPv6 literal and never looks it up
                literal = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                return Optional.of("is not a valid IPv6 address");
            }
        } else {
            if (!NUMBER.matcher(host.substring(host.lastIndexOf('.') + 1)).matches()) {
                // a name: its addresses are checked each time the webhook is called
                return Optional.empty();
            }
            literal = dottedQuad(host);
            if (literal == null) {
                return Optional.of("an IPv4 address must be written as four decimal numbers");
            }
        }
        InetAddress address = literal;
        return nonPublic(address).map(kind -> notPublic(address.getHostAddress(), kind));
    }

    /**
     * Resolves the host and refuses it if any of its addresses is not public; does nothing when
     * private addresses are allowed.
     *
     * @throws UnknownHostException when it does not resolve
     * @throws RefusedAddressException when one of its addresses is not public
     */
    public void checkResolved(String host) throws UnknownHostException {
        if (allowPrivate) {
            return;
        }
        for (InetAddress address : InetAddress.getAllByName(host)) {
            Optional<String> kind = nonPublic(address);
            if (kind.isPresent()) {
                throw new RefusedAddressException(
                        host
                                + " resolves to "
                                + address.getHostAddress()
                                + ", a "
                                + kind.get()
                                + " address");
            }
        }
    }

    /** Whether a webhook may reach this address when private addresses are not allowed. */
    public static boolean isPublic(InetAddress address) {
        return nonPublic(address).isEmpty();
    }

    /**
     * What kind of special-purpose address this is: unspecified, loopback, link-local, private,
     * multicast or reserved; empty for a public address.
     */
    static Optional<String> nonPublic(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress()) {
            // 10/8, 172.16/12, 192.168/16, and IPv6's deprecated fec0::/10
            return Optional.of("private");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            if (first == 0) {
                // 0/8, "this network": Linux connects 0.0.0.0 to the local host
                return Optional.of("unspecified");
            }
            if (first == 100 && (b[1] & 0xc0) == 64) {
                // 100.64/10, the carrier-grade NAT's shared space (RFC 6598)
                return Optional.of("private");
            }
            if (first >= 240) {
                // 240/4 and the broadcast 255.255.255.255
                return Optional.of("reserved");
            }
            return Optional.empty();
        }
        if ((b[0] & 0xfe) == 0xfc) {
            // fc00::/7, unique local (RFC 4193)
            return Optional.of("private");
        }
        // an IPv4 address inside an IPv6 one (IPv4-compatible ::a.b.c.d, IPv4-mapped
        // ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::) is judged as that IPv4
        // address
        boolean compatible = zero(b, 0, 12);
        boolean mapped = zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean nat64 =
                b[0] == 0
                        && b[1] == 0x64
                        && (b[2] & 0xff) == 0xff
                        && (b[3] & 0xff) == 0x9b
                        && zero(b, 4, 12);
        if (compatible || mapped || nat64) {
            return nonPublic(ipv4(Arrays.copyOfRange(b, 12, 16)));
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return nonPublic(ipv4(Arrays.copyOfRange(b, 2, 6)));
        }
        return Optional.empty();
    }

    private static String notPublic(String host, String kind) {
        return "must not point at a loopback, link-local, private, unspecified or multicast"
                + " address ("
                + host
                + " is "
                + kind
                + "); splitrank.webhooks.allow-private=true allows it";
    }

    private static InetAddress dottedQuad(String host) {
        Matcher m = DOTTED_QUAD.matcher(host);
        if (!m.matches()) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(m.group(i + 1));
            if (octet > 255) {
                return null;
            }
            bytes[i] = (byte) octet;
        }
        return ipv4(bytes);
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not 4 bytes", e);
        }
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A webhook's host resolves to an address it may not reach. */
    public static final class RefusedAddressException extends RuntimeException {
        RefusedAddressException(String message) {
            super(message);
        }
    }
}
