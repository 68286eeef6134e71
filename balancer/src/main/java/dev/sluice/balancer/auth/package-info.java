/**
 * HTTP basic authentication against HAProxy {@code userlist} sections: crypt(3) password checks
 * ({@link dev.sluice.balancer.auth.StoredPassword}), the {@code Authorization} header
 * ({@link dev.sluice.balancer.auth.BasicCredentials}) and the userlists with their cache of checked
 * headers ({@link dev.sluice.balancer.auth.Userlist}). The {@code http_auth*} fetches live in the
 * ACL package; {@code http-request auth} in the rules package.
 */
package dev.sluice.balancer.auth;
