package dev.sluice.balancer.acl;

import java.util.List;

/**
 * The integer converters: {@code add}, {@code sub}, {@code mul}, {@code div}, {@code mod},
 * {@code and}, {@code or}, {@code xor} take an integer or a variable name; {@code neg}, {@code cpl},
 * {@code bool}, {@code not}, {@code odd}, {@code even} take none. Overflow saturates as in HAProxy
 * 2.6 ({@code add}, {@code sub}, {@code mul}, {@code neg}); division by zero gives
 * {@link Long#MAX_VALUE} and a zero remainder. No allocation: a variable holds a boxed value already.
 */
final class ArithmeticConverters {

    /** A binary operation on the input and the operand. */
    @FunctionalInterface
    private interface Operation {
        long apply(long input, long operand);
    }

    private ArithmeticConverters() {
    }

    static Converters.Converter add(String n, List<String> a, CompileContext c, String e) {
        return binary(n, a, ArithmeticConverters::saturatedAdd);
    }

    static Converters.Converter sub(String n, List<String> a, CompileContext c, String e) {
        return binary(n, a, (x, y) -> y == Long.MIN_VALUE ? saturatedAdd(saturatedAdd(x, Long.MAX_VALUE), 1)
                : saturatedAdd(x, -y));
    }

    static Converters.Converter mul(String n, List<String> a, CompileContext c, String e) {
        return binary(n, a, ArithmeticConverters::saturatedMultiply);
    }

    static Converters.Converter div(String n, List<String> a, CompileContext c, String e) {
        return binary(n, a, (x, y) -> y == 0 || x == Long.MIN_VALUE && y == -1 ? Long.MAX_VALUE : x / y);
    }

    static Converters.Converter mod(String n, List<String> a, CompileContext c, String e) {
        return binary(n, a, (x, y) -> y == 0 || y == -1 ? 0 : x % y);
    }

    static Converters.Converter and(String n, List<String> a, CompileContext c, String e) {
        return binary(n, a, (x, y) -> x & y);
    }

    static Converters.Converter or(String n, List<String> a, CompileContext c, String e) {
        return binary(n, a, (x, y) -> x | y);
    }

    static Converters.Converter xor(String n, List<String> a, CompileContext c, String e) {
        return binary(n, a, (x, y) -> x ^ y);
    }

    static Converters.Converter neg(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 0, new String[0]);
        return unaryInteger(n, x -> x == Long.MIN_VALUE ? Long.MAX_VALUE : -x);
    }

    static Converters.Converter cpl(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 0, new String[0]);
        return unaryInteger(n, x -> ~x);
    }

    static Converters.Converter bool(String n, List<String> a, CompileContext c, String e) {
        return predicate(n, a, x -> x != 0);
    }

    static Converters.Converter not(String n, List<String> a, CompileContext c, String e) {
        return predicate(n, a, x -> x == 0);
    }

    static Converters.Converter odd(String n, List<String> a, CompileContext c, String e) {
        return predicate(n, a, x -> (x & 1) != 0);
    }

    static Converters.Converter even(String n, List<String> a, CompileContext c, String e) {
        return predicate(n, a, x -> (x & 1) == 0);
    }

    private static Converters.Converter unaryInteger(String name, java.util.function.LongUnaryOperator f) {
        return ConverterStages.of(name, SampleType.INT, false, next -> new Sinks.OfInteger() {
            @Override
            public boolean integer(long value) {
                return next.integer(f.applyAsLong(value));
            }
        });
    }

    private static Converters.Converter predicate(String name, List<String> args,
            java.util.function.LongPredicate test) {
        Converters.arguments(name, args, 0, 0, new String[0]);
        return ConverterStages.of(name, SampleType.BOOL, false, next -> new Sinks.OfInteger() {
            @Override
            public boolean integer(long value) {
                return next.bool(test.test(value));
            }
        });
    }

    /**
     * The operand is an integer or a variable name; HAProxy 2.6 accepts the argument being absent
     * (the input passes unchanged). An unset variable, or one that does not cast to an integer,
     * makes the conversion fail.
     */
    private static Converters.Converter binary(String name, List<String> args, Operation op) {
        Converters.arguments(name, args, 0, 1, new String[] {"string"});
        if (args.isEmpty() || args.get(0).isEmpty()) {
            return unaryInteger(name, x -> x);
        }
        String text = args.get(0);
        Long constant = Text.parseLong(text);
        if (constant == null && Variables.checkName(text) != null) {
            throw AclException.invalid("invalid args in converter '" + name
                    + "' : expects an integer or a variable name.");
        }
        if (constant != null) {
            long operand = constant;
            return ConverterStages.of(name, SampleType.INT, false, next -> new Sinks.OfInteger() {
                @Override
                public boolean integer(long value) {
                    return next.integer(op.apply(value, operand));
                }
            });
        }
        return ConverterStages.of(name, SampleType.INT, true, next -> new Sinks.OfInteger() {
            @Override
            public boolean integer(long value) {
                Variables vars = ConverterRequest.variables();
                Object v = vars == null ? null : vars.get(text);
                long operand;
                switch (v) {
                    case Long l -> operand = l;
                    case Boolean b -> operand = b ? 1 : 0;
                    case String s -> {
                        if (s.isEmpty()) {
                            return false;
                        }
                        operand = Text.leadingInteger(s, 0, s.length());
                    }
                    case IpAddress ip when ip.v4() -> operand = ip.v4Bits() & 0xffff_ffffL;
                    case null, default -> {
                        return false;
                    }
                }
                return next.integer(op.apply(value, operand));
            }
        });
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (hi == 0 && lo >= 0 || hi == -1 && lo < 0) {
            return lo;
        }
        return (a < 0) != (b < 0) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    /** {@code iif(true,false)}: one of two strings by the input's truth (a string reads as its leading integer). */
    static Converters.Converter iif(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 2, 2, new String[] {"string", "string"});
        String yes = a.get(0);
        String no = a.get(1);
        return ConverterStages.of(n, SampleType.STR, false, next -> new Sinks.OfInteger() {
            @Override
            public boolean integer(long value) {
                String s = value != 0 ? yes : no;
                return next.string(s, 0, s.length());
            }
        });
    }
}
