package io.safegrid.cascade.link;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.safegrid.config.CascadeConfig;
import javax.net.ssl.SSLException;

/**
 * TLS for the cascade link, which crosses networks the county does not own (an enterprise's
 * uplink, the internet). The county serves its certificate; the enterprise checks it, host name
 * included, against the JVM's trusted CAs or the county's own CA. The peer's token still
 * authenticates the enterprise inside the encrypted link.
 */
final class LinkTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private LinkTls() {
    }

    /** The county's side; fails at start, naming the file, when the certificate or key cannot be used. */
    static SslContext server(CascadeConfig.ServerTls tls) {
        try {
            return SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile()).protocols(PROTOCOLS).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cascade tls: cannot use certificate " + tls.cert() + " with key " + tls.key()
                    + " (PEM chain, and a PKCS#8 PEM key, \"BEGIN PRIVATE KEY\"): " + e.getMessage(), e);
        }
    }

    /** The enterprise's side: verifies the county's certificate and that it names the host dialled. */
    static SslContext client(CascadeConfig.Upstream upstream) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().protocols(PROTOCOLS).endpointIdentificationAlgorithm("HTTPS");
            if (upstream.trust() != null) {
                b.trustManager(upstream.trust().toFile());
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cascade tls: cannot use the certificates to trust in " + upstream.trust() + ": "
                    + e.getMessage(), e);
        }
    }
}
