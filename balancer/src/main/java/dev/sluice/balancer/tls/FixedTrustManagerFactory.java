package dev.sluice.balancer.tls;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import java.security.KeyStore;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;

/** Hands Netty one trust manager we built ({@link VerifyingTrustManager}). */
final class FixedTrustManagerFactory extends SimpleTrustManagerFactory {
    private final TrustManager manager;

    FixedTrustManagerFactory(TrustManager manager) {
        this.manager = manager;
    }

    @Override
    protected void engineInit(KeyStore keyStore) {
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) {
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
        return new TrustManager[] {manager};
    }
}
