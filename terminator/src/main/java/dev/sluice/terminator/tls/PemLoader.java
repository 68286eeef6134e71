package dev.sluice.terminator.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads a key and its certificates from PEM with Bouncy Castle: PKCS#1 RSA, PKCS#8 and SEC1 EC
 * keys, certificates in any order around the key. Every refusal names the file and the problem.
 */
public final class PemLoader {
    /** TLS 1.3 signature schemes bound to an EC curve (RFC 8446, 4.2.3). */
    private static final int ECDSA_P256_SHA256 = 0x0403;
    private static final int ECDSA_P384_SHA384 = 0x0503;
    private static final int ECDSA_P521_SHA512 = 0x0603;
    private static final Pattern DH_PARAMETERS = Pattern.compile(
            "-----BEGIN (X9\\.42 )?DH PARAMETERS-----.*?-----END (X9\\.42 )?DH PARAMETERS-----\\R?", Pattern.DOTALL);
    private static final byte[] PROOF = "sluice key/certificate match".getBytes(StandardCharsets.US_ASCII);

    private final JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
    private final JcaPEMKeyConverter keys = new JcaPEMKeyConverter();

    /**
     * Loads one source. {@code warn} receives non-fatal findings (an expired certificate keeps
     * serving, as it does in hitch, but the operator hears about it).
     */
    public CertifiedKey load(PemSource source, Instant now, Consumer<String> warn) throws TlsException {
        List<X509Certificate> certs = new ArrayList<>();
        List<PrivateKey> found = new ArrayList<>();
        read(source.certPath(), certs, found, warn);
        if (source.keyPath() != null) {
            List<PrivateKey> separate = new ArrayList<>();
            read(source.keyPath(), new ArrayList<>(), separate, warn);
            if (separate.isEmpty()) {
                throw new TlsException(source.keyPath() + ": no private key found");
            }
            found.addAll(separate);
        }
        if (certs.isEmpty()) {
            throw new TlsException(source.certPath() + ": no certificate found");
        }
        if (found.isEmpty()) {
            throw new TlsException(source.certPath() + ": no private key found (expected the key in the same"
                    + " file, or a separate key file)");
        }
        if (found.size() > 1) {
            throw new TlsException(source.describe() + ": " + found.size() + " private keys (expected: one)");
        }
        PrivateKey key = found.getFirst();
        int leafIndex = -1;
        for (int i = 0; i < certs.size() && leafIndex < 0; i++) {
            if (matches(key, certs.get(i).getPublicKey())) {
                leafIndex = i;
            }
        }
        if (leafIndex < 0) {
            throw new TlsException(source.describe() + ": the private key does not match any certificate in "
                    + source.certPath());
        }
        List<X509Certificate> chain = new ArrayList<>(certs.size());
        chain.add(certs.get(leafIndex));
        for (int i = 0; i < certs.size(); i++) {
            if (i != leafIndex) {
                chain.add(certs.get(i));
            }
        }
        X509Certificate leaf = chain.getFirst();
        checkValidity(source, leaf, now, warn);
        KeyType type = keyType(source, leaf.getPublicKey());
        int scheme = type == KeyType.EC ? ecdsaScheme(source, (ECPublicKey) leaf.getPublicKey()) : 0;
        List<String> names = names(leaf);
        if (names.isEmpty()) {
            warn.accept(source.certPath() + ": the certificate names no DNS name (no SAN DNS entry, no CN);"
                    + " it can only serve as the default certificate");
        }
        return new CertifiedKey(source, key, chain, type, scheme, names);
    }

    private void read(Path file, List<X509Certificate> certs, List<PrivateKey> privateKeys, Consumer<String> warn)
            throws TlsException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new TlsException(file + ": no such file", e);
        } catch (IOException e) {
            throw new TlsException(file + ": cannot read: " + e.getMessage(), e);
        }
        Matcher dh = DH_PARAMETERS.matcher(text);
        if (dh.find()) {
            // hitch accepts DH parameters in the pem-file; BoringSSL has no DHE, key exchange is ECDHE.
            warn.accept(file + ": DH parameters ignored (BoringSSL offers no DHE; key exchange is ECDHE)");
            text = dh.replaceAll("");
        }
        int objects = 0;
        try (Reader reader = new StringReader(text); PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects++;
                switch (object) {
                    case X509CertificateHolder holder -> certs.add(certificates.getCertificate(holder));
                    case PEMKeyPair pair -> privateKeys.add(keys.getPrivateKey(pair.getPrivateKeyInfo()));
                    case PrivateKeyInfo info -> privateKeys.add(keys.getPrivateKey(info));
                    case ASN1ObjectIdentifier ignored -> {
                        // "EC PARAMETERS" blocks (openssl ecparam output) precede SEC1 keys; the
                        // key itself carries its curve, so the block adds nothing.
                    }
                    case PEMEncryptedKeyPair ignored -> throw encrypted(file);
                    case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(file);
                    default -> throw new TlsException(file + ": unexpected PEM object "
                            + object.getClass().getSimpleName() + " (expected certificates and one private key)");
                }
            }
        } catch (IOException e) {
            throw new TlsException(file + ": not valid PEM: " + e.getMessage(), e);
        } catch (CertificateException e) {
            throw new TlsException(file + ": bad certificate: " + e.getMessage(), e);
        }
        if (objects == 0) {
            throw new TlsException(file + ": no PEM data (expected -----BEGIN CERTIFICATE----- and a private key)");
        }
    }

    private static TlsException encrypted(Path file) {
        return new TlsException(file + ": the private key is encrypted; a terminator cannot ask for a passphrase"
                + " (decrypt it with `openssl pkey -in KEY -out KEY.plain`)");
    }

    /** Proves possession: a signature made with the key verifies with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null || !compatible(key.getAlgorithm(), publicKey.getAlgorithm())) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROOF);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROOF);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean compatible(String keyAlgorithm, String publicAlgorithm) {
        return keyAlgorithm.equals(publicAlgorithm)
                || (keyAlgorithm.startsWith("EC") && publicAlgorithm.startsWith("EC"));
    }

    private static void checkValidity(PemSource source, X509Certificate leaf, Instant now, Consumer<String> warn) {
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            warn.accept(source.certPath() + ": the certificate expired on " + leaf.getNotAfter().toInstant()
                    + "; clients will refuse it");
        } else if (now.isBefore(leaf.getNotBefore().toInstant())) {
            warn.accept(source.certPath() + ": the certificate is not valid before "
                    + leaf.getNotBefore().toInstant() + "; clients will refuse it until then");
        }
    }

    private static KeyType keyType(PemSource source, PublicKey key) throws TlsException {
        return switch (key) {
            case RSAPublicKey ignored -> KeyType.RSA;
            case ECPublicKey ignored -> KeyType.EC;
            default -> throw new TlsException(source.certPath() + ": unsupported key type " + key.getAlgorithm()
                    + " (expected: RSA or EC)");
        };
    }

    private static int ecdsaScheme(PemSource source, ECPublicKey key) throws TlsException {
        int bits = key.getParams().getCurve().getField().getFieldSize();
        return switch (bits) {
            case 256 -> ECDSA_P256_SHA256;
            case 384 -> ECDSA_P384_SHA384;
            case 521 -> ECDSA_P521_SHA512;
            default -> throw new TlsException(source.certPath() + ": unsupported EC curve of " + bits
                    + " bits (expected: P-256, P-384 or P-521)");
        };
    }

    /** SAN DNS names, or the subject's CN when the certificate has no SAN DNS name (RFC 6125). */
    static List<String> names(X509Certificate leaf) throws TlsException {
        List<String> names = new ArrayList<>();
        try {
            X509CertificateHolder holder = new X509CertificateHolder(leaf.getEncoded());
            GeneralNames san = GeneralNames.fromExtensions(holder.getExtensions(), Extension.subjectAlternativeName);
            if (san != null) {
                for (GeneralName name : san.getNames()) {
                    if (name.getTagNo() == GeneralName.dNSName) {
                        names.add(name.getName().toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (names.isEmpty()) {
                for (RDN rdn : holder.getSubject().getRDNs(BCStyle.CN)) {
                    names.add(IETFUtils.valueToString(rdn.getFirst().getValue()).toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException | CertificateEncodingException e) {
            throw new TlsException("cannot read names of " + leaf.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
        return names;
    }
}
