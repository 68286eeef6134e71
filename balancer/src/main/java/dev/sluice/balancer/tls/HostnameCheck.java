package dev.sluice.balancer.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a server certificate names a host, as HAProxy 2.6 checks it for {@code verifyhost} or the SNI
 * sent: any DNS subject alternative name, then any common name, compared without case; a {@code *} is
 * allowed as the whole leftmost label only and stands for exactly one label.
 */
final class HostnameCheck {
    /** The subjectAltName type of a DNS name (RFC 5280, 4.2.1.6). */
    private static final int DNS_NAME = 2;

    private HostnameCheck() {
    }

    static boolean matches(X509Certificate certificate, String host) {
        String wanted = host.toLowerCase(Locale.ROOT);
        try {
            var alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    if (name.size() >= 2 && Integer.valueOf(DNS_NAME).equals(name.get(0))
                            && name.get(1) instanceof String dns && nameMatches(dns, wanted)) {
                        return true;
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN") && rdn.getValue() instanceof String cn
                        && nameMatches(cn, wanted)) {
                    return true;
                }
            }
        } catch (InvalidNameException e) {
            return false;
        }
        return false;
    }

    /** {@code pattern} as written in the certificate; {@code host} already in lower case. */
    static boolean nameMatches(String pattern, String host) {
        String name = pattern.toLowerCase(Locale.ROOT);
        if (!name.startsWith("*.")) {
            return name.equals(host);
        }
        int dot = host.indexOf('.');
        // "*.example.com" matches "a.example.com", not "example.com" nor "a.b.example.com".
        return dot > 0 && host.substring(dot).equals(name.substring(1));
    }
}
