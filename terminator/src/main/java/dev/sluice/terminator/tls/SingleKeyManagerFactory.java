package dev.sluice.terminator.tls;

import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import io.netty.handler.ssl.util.SimpleKeyManagerFactory;

/**
 * A key manager that holds exactly one key: each SSL context serves one certificate, chosen
 * before the engine exists (see {@link CertSelector}), so the per-handshake alias lookup is a
 * constant instead of the JDK key manager's search through a key store.
 */
final class SingleKeyManagerFactory extends SimpleKeyManagerFactory {
    static final String ALIAS = "served";

    private final KeyManager[] managers;

    SingleKeyManagerFactory(CertifiedKey certified) {
        this.managers = new KeyManager[] {new SingleKeyManager(certified.key(), certified.chainArray())};
    }

    @Override
    protected void engineInit(KeyStore keyStore, char[] password) {
        // the key is given at construction
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) {
        // the key is given at construction
    }

    @Override
    protected KeyManager[] engineGetKeyManagers() {
        return managers.clone();
    }

    private static final class SingleKeyManager extends X509ExtendedKeyManager {
        private final PrivateKey key;
        private final X509Certificate[] chain;

        SingleKeyManager(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }
}
