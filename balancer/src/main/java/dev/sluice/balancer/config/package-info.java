/**
 * HAProxy-syntax configuration for the balancer.
 *
 * <p>The path of a configuration: {@link dev.sluice.balancer.config.ConfigLoader} reads every
 * {@code -f} file (a directory gives its {@code *.cfg} files in lexical order), the
 * {@link dev.sluice.balancer.config.lex.Lexer} splits lines into words with HAProxy 2.6's quoting,
 * escapes and {@code "${ENV}"} expansion, the {@link dev.sluice.balancer.config.parse.Parser}
 * dispatches each line to the keyword tables of its section and builds the immutable
 * {@link dev.sluice.balancer.config.model.Config}, then
 * {@link dev.sluice.balancer.config.check.SemanticCheck} checks what needs the whole configuration.
 * Every message is a {@link dev.sluice.balancer.config.Diagnostic} with {@code file:line}; all of
 * them are collected, none stops the others. {@link dev.sluice.balancer.config.Check} is
 * {@code -c}; {@link dev.sluice.balancer.config.Compiler} turns a valid model into the engine's
 * runtime plan.
 *
 * <p>An unknown keyword is fatal with a "did you mean"; an HAProxy keyword we do not implement yet
 * is fatal as "not supported yet" with the reason, so no setting silently does nothing.
 */
package dev.sluice.balancer.config;
