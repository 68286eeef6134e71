package dev.sluice.terminator.tls;

/** The kind of key a certificate carries; decides which clients can use it. */
public enum KeyType {
    RSA,
    EC
}
