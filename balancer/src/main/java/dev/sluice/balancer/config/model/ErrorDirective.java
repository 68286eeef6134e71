package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.rules.Reply;
import java.util.List;
import java.util.Objects;

/**
 * One line of a proxy that chooses the answer for a status: {@code errorfile}, {@code errorloc*},
 * {@code errorfiles} and {@code http-error}. As in HAProxy 2.6 they are applied in written order
 * (the defaults section's first), the last one for a status winning, once every
 * {@code http-errors} section is known (one may be declared after the proxy that names it).
 */
public sealed interface ErrorDirective {

    SourceLocation location();

    /** A complete raw response: {@code errorfile}, {@code errorloc*}, {@code http-error … errorfile F}. */
    record Page(ErrorFile file) implements ErrorDirective {
        public Page {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public SourceLocation location() {
            return file.location();
        }
    }

    /**
     * {@code errorfiles NAME [CODE…]}, or {@code http-error status CODE errorfiles NAME} (one code):
     * the pages of an {@code http-errors} section.
     *
     * @param codes the statuses to take; empty for every page the section has
     */
    record Import(SourceLocation location, String section, List<Integer> codes) implements ErrorDirective {
        public Import {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(section, "section");
            codes = List.copyOf(codes);
        }
    }

    /** {@code http-error status CODE default-errorfiles}: back to the built-in page. */
    record BuiltIn(SourceLocation location, int status) implements ErrorDirective {
        public BuiltIn {
            Objects.requireNonNull(location, "location");
        }
    }

    /** {@code http-error} with {@code string}, {@code lf-string}, {@code file}, {@code lf-file} or {@code hdr}. */
    record Made(SourceLocation location, Reply reply) implements ErrorDirective {
        public Made {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(reply, "reply");
        }
    }
}
