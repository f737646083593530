package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A tensor dimension or integer scalar as a symbolic expression: a polynomial with integer
 * coefficients over atoms, where an atom is a symbol ({@code S}) or a floor division of an
 * expression by a positive constant ({@code (S-3)/2}); a modulo is written with a division.
 *
 * <p>Every instance is in canonical form (terms merged and ordered, zero terms dropped, divisions
 * normalized as {@link #floorDiv(long)} says), so equal expressions built along different paths are
 * usually {@link #equals equal}; {@link #provablyEquals} decides equality for every value of the
 * symbols where the forms differ. Immutable.
 */
public final class Dim implements Comparable<Dim> {
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z]");

    /** A factor of a monomial. Ordered by its printed form so monomials are canonical. */
    private sealed interface Atom permits Symbol, Division {
        long eval(Map<String, Long> bindings);

        void collectSymbols(Set<String> out);
    }

    private record Symbol(String name) implements Atom {
        @Override
        public long eval(Map<String, Long> bindings) {
            Long v = bindings.get(name);
            if (v == null) {
                throw new IllegalArgumentException(
                        "symbol " + name + " has no value (bound: " + bindings.keySet() + ")");
            }
            return v;
        }

        @Override
        public void collectSymbols(Set<String> out) {
            out.add(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * {@code numerator // divisor}, the numerator in the canonical form {@link #floorDiv(long)}
     * gives it.
     */
    private record Division(Dim numerator, long divisor) implements Atom {
        @Override
        public long eval(Map<String, Long> bindings) {
            return Math.floorDiv(numerator.eval(bindings), divisor);
        }

        @Override
        public void collectSymbols(Set<String> out) {
            out.addAll(numerator.symbols());
        }

        @Override
        public String toString() {
            return numerator.asOperand() + "/" + divisor;
        }
    }

    /** A product of atoms, sorted; the empty monomial is the constant term. */
    private record Monomial(List<Atom> atoms) implements Comparable<Monomial> {
        Monomial times(Monomial other) {
            List<Atom> all = new ArrayList<>(atoms);
            all.addAll(other.atoms);
            all.sort(Comparator.comparing(Atom::toString));
            return new Monomial(List.copyOf(all));
        }

        long eval(Map<String, Long> bindings) {
            long v = 1;
            for (Atom a : atoms) {
                v = Math.multiplyExact(v, a.eval(bindings));
            }
            return v;
        }

        @Override
        public int compareTo(Monomial o) {
            int c = Integer.compare(atoms.size(), o.atoms.size());
            return c != 0 ? c : toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return render(true);
        }

        /**
         * @param alone whether the monomial is printed without a coefficient; otherwise divisions
         *     are bracketed so {@code 2*((S-1)/2)} cannot be read as {@code (2*(S-1))/2}
         */
        String render(boolean alone) {
            boolean bracket = !alone || atoms.size() > 1;
            StringBuilder sb = new StringBuilder();
            for (Atom a : atoms) {
                if (sb.length() > 0) {
                    sb.append('*');
                }
                sb.append(bracket && a instanceof Division ? "(" + a + ")" : a.toString());
            }
            return sb.toString();
        }
    }

    private static final Monomial ONE = new Monomial(List.of());

    /** Non-constant terms, coefficient by monomial, never zero. */
    private final TreeMap<Monomial, Long> terms;

    private final long constant;

    private Dim(TreeMap<Monomial, Long> terms, long constant) {
        this.terms = terms;
        this.constant = constant;
    }

    /**
     * @param value a known size or integer
     * @return the constant expression
     */
    public static Dim of(long value) {
        return new Dim(new TreeMap<>(), value);
    }

    /**
     * @param name a single ASCII letter, as tract requires for its symbols
     * @return the symbol
     * @throws IllegalArgumentException if the name is not a single letter
     */
    public static Dim symbol(String name) {
        if (!isValidSymbol(name)) {
            throw new IllegalArgumentException(
                    "symbol '" + name + "' must be a single letter (A-Z or a-z)");
        }
        return single(new Symbol(name));
    }

    /**
     * @param name a candidate symbol name
     * @return whether it is a single ASCII letter
     */
    public static boolean isValidSymbol(String name) {
        return name != null && SYMBOL.matcher(name).matches();
    }

    private static Dim single(Atom atom) {
        TreeMap<Monomial, Long> t = new TreeMap<>();
        t.put(new Monomial(List.of(atom)), 1L);
        return new Dim(t, 0);
    }

    /**
     * @return whether the expression has no symbols
     */
    public boolean isConstant() {
        return terms.isEmpty();
    }

    /**
     * @return the value of a constant expression
     * @throws IllegalStateException if the expression is symbolic
     */
    public long constant() {
        if (!isConstant()) {
            throw new IllegalStateException("dimension " + this + " is symbolic, not a constant");
        }
        return constant;
    }

    /**
     * @return whether the expression is a constant times a product of symbols ({@code 4}, {@code
     *     S}, {@code 4*S*T}): no sum, no constant term beside symbols, no division
     */
    public boolean isMonomial() {
        if (terms.isEmpty()) {
            return true;
        }
        return terms.size() == 1
                && constant == 0
                && terms.firstKey().atoms.stream().allMatch(a -> a instanceof Symbol);
    }

    /**
     * @return the symbols the expression uses, sorted
     */
    public Set<String> symbols() {
        Set<String> out = new TreeSet<>();
        for (Monomial m : terms.keySet()) {
            for (Atom a : m.atoms) {
                a.collectSymbols(out);
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * @param bindings a value for each symbol
     * @return the expression's value
     * @throws IllegalArgumentException if a symbol has no value
     */
    public long eval(Map<String, Long> bindings) {
        long v = constant;
        for (Map.Entry<Monomial, Long> e : terms.entrySet()) {
            v = Math.addExact(v, Math.multiplyExact(e.getValue(), e.getKey().eval(bindings)));
        }
        return v;
    }

    /**
     * @return {@code this + other}
     */
    public Dim plus(Dim other) {
        TreeMap<Monomial, Long> t = new TreeMap<>(terms);
        other.terms.forEach((m, c) -> addTerm(t, m, c));
        return new Dim(t, Math.addExact(constant, other.constant));
    }

    /**
     * @return {@code this + value}
     */
    public Dim plus(long value) {
        return new Dim(terms, Math.addExact(constant, value));
    }

    /**
     * @return {@code this - other}
     */
    public Dim minus(Dim other) {
        return plus(other.times(-1));
    }

    /**
     * @return {@code this - value}
     */
    public Dim minus(long value) {
        return plus(Math.negateExact(value));
    }

    /**
     * @return {@code this * factor}
     */
    public Dim times(long factor) {
        TreeMap<Monomial, Long> t = new TreeMap<>();
        if (factor != 0) {
            terms.forEach((m, c) -> t.put(m, Math.multiplyExact(c, factor)));
        }
        return new Dim(t, Math.multiplyExact(constant, factor));
    }

    /**
     * @return {@code this * other} (a product of symbols when both are symbolic)
     */
    public Dim times(Dim other) {
        if (other.isConstant()) {
            return times(other.constant);
        }
        if (isConstant()) {
            return other.times(constant);
        }
        TreeMap<Monomial, Long> t = new TreeMap<>();
        List<Map.Entry<Monomial, Long>> mine = withConstant(this);
        List<Map.Entry<Monomial, Long>> theirs = withConstant(other);
        long c = 0;
        for (Map.Entry<Monomial, Long> a : mine) {
            for (Map.Entry<Monomial, Long> b : theirs) {
                Monomial m = a.getKey().times(b.getKey());
                long coef = Math.multiplyExact(a.getValue(), b.getValue());
                if (m.atoms.isEmpty()) {
                    c = Math.addExact(c, coef);
                } else {
                    addTerm(t, m, coef);
                }
            }
        }
        return new Dim(t, c);
    }

    private static List<Map.Entry<Monomial, Long>> withConstant(Dim d) {
        List<Map.Entry<Monomial, Long>> out = new ArrayList<>(d.terms.entrySet());
        if (d.constant != 0) {
            out.add(Map.entry(ONE, d.constant));
        }
        return out;
    }

    /**
     * Floor division, as Python's {@code //} and torch's {@code floor_divide} on sizes.
     *
     * <p>The quotient is canonical: {@code floor((d*Q + R + c) / d)} is {@code Q + floor((R + c) /
     * d)} with every coefficient of {@code R} in {@code [1, d)} and {@code c} in {@code (-d, 0]}, a
     * common factor of {@code R}, {@code c} and {@code d} is cancelled, and a numerator holding a
     * lone division {@code X//a} is flattened: {@code floor((X//a + M) / d) == floor((X + a*M) /
     * (a*d))} for any integer {@code M}. So {@code ((S-1)//2 - 1)//2 + 1} and {@code ((S-1)//2 +
     * 1)//2} are both {@code (S-3)/4+1}.
     *
     * @param divisor a positive constant
     * @return {@code floor(this / divisor)}
     * @throws IllegalArgumentException if the divisor is not positive
     */
    public Dim floorDiv(long divisor) {
        requirePositive(divisor, "/");
        if (divisor == 1) {
            return this;
        }
        if (isConstant()) {
            return of(Math.floorDiv(constant, divisor));
        }
        TreeMap<Monomial, Long> whole = new TreeMap<>();
        TreeMap<Monomial, Long> rest = new TreeMap<>();
        terms.forEach(
                (m, c) -> {
                    long q = Math.floorDiv(c, divisor);
                    long r = c - q * divisor;
                    if (q != 0) {
                        whole.put(m, q);
                    }
                    if (r != 0) {
                        rest.put(m, r);
                    }
                });
        long restConstant = -Math.floorMod(Math.negateExact(constant), divisor); // in (-divisor, 0]
        long wholeConstant = (constant - restConstant) / divisor;
        Dim quotient = new Dim(whole, wholeConstant);
        if (rest.isEmpty()) {
            return quotient.plus(restConstant < 0 ? -1 : 0);
        }
        long common = gcd(divisor, restConstant);
        for (long c : rest.values()) {
            common = gcd(common, c);
        }
        long g = common;
        long d = divisor / g;
        rest.replaceAll((m, c) -> c / g);
        Dim numerator = new Dim(rest, restConstant / g);
        Optional<Division> lone = numerator.loneDivision();
        if (lone.isPresent()) {
            Division inner = lone.get();
            Dim others = numerator.minus(single(inner));
            return quotient.plus(
                    inner.numerator
                            .plus(others.times(inner.divisor))
                            .floorDiv(Math.multiplyExact(inner.divisor, d)));
        }
        return quotient.plus(single(new Division(numerator, d)));
    }

    /** The only term that is a division with coefficient 1, if exactly one is. */
    private Optional<Division> loneDivision() {
        Division found = null;
        for (Map.Entry<Monomial, Long> e : terms.entrySet()) {
            List<Atom> atoms = e.getKey().atoms;
            if (atoms.size() == 1 && atoms.get(0) instanceof Division div && e.getValue() == 1) {
                if (found != null) {
                    return Optional.empty();
                }
                found = div;
            }
        }
        return Optional.ofNullable(found);
    }

    private static long gcd(long a, long b) {
        a = Math.abs(a);
        b = Math.abs(b);
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * Ceiling division, {@code floor((this + divisor - 1) / divisor)}.
     *
     * @param divisor a positive constant
     * @return {@code ceil(this / divisor)}
     */
    public Dim ceilDiv(long divisor) {
        requirePositive(divisor, "ceil /");
        return plus(divisor - 1).floorDiv(divisor);
    }

    /**
     * Floor division by another dimension: only when that one is a positive constant.
     *
     * @param divisor a positive constant dimension
     * @return {@code floor(this / divisor)}
     * @throws IllegalArgumentException if the divisor is symbolic or not positive
     */
    public Dim floorDiv(Dim divisor) {
        if (!divisor.isConstant()) {
            throw new IllegalArgumentException(
                    "cannot divide " + this + " by the symbolic " + divisor);
        }
        return floorDiv(divisor.constant);
    }

    /**
     * Modulo with a non-negative result (Python's {@code %}), as {@code this - divisor * (this //
     * divisor)} so that it has a canonical form and an NNEF expression.
     *
     * @param divisor a positive constant
     * @return {@code this mod divisor}
     */
    public Dim mod(long divisor) {
        requirePositive(divisor, "%");
        return minus(floorDiv(divisor).times(divisor));
    }

    /**
     * Exact division, as needed to solve {@code view(n, -1)}: by a constant that divides every
     * coefficient, or by a single term (such as {@code S} or {@code 2*S}) that divides every term.
     *
     * @param divisor the divisor
     * @return the quotient, or empty when the division is not exact in this form
     */
    public Optional<Dim> divideExactly(Dim divisor) {
        if (divisor.isConstant()) {
            long c = divisor.constant;
            if (c == 0 || constant % c != 0 || !symbolicPartDivisibleBy(Math.abs(c))) {
                return Optional.empty();
            }
            TreeMap<Monomial, Long> t = new TreeMap<>();
            terms.forEach((m, k) -> t.put(m, k / c));
            return Optional.of(new Dim(t, constant / c));
        }
        if (divisor.terms.size() != 1 || divisor.constant != 0 || constant != 0) {
            return Optional.empty();
        }
        Monomial dm = divisor.terms.firstKey();
        long dc = divisor.terms.firstEntry().getValue();
        TreeMap<Monomial, Long> t = new TreeMap<>();
        long newConstant = 0;
        for (Map.Entry<Monomial, Long> e : terms.entrySet()) {
            List<Atom> rest = new ArrayList<>(e.getKey().atoms);
            for (Atom a : dm.atoms) {
                if (!rest.remove(a)) {
                    return Optional.empty();
                }
            }
            if (e.getValue() % dc != 0) {
                return Optional.empty();
            }
            if (rest.isEmpty()) {
                newConstant += e.getValue() / dc;
            } else {
                addTerm(t, new Monomial(List.copyOf(rest)), e.getValue() / dc);
            }
        }
        return Optional.of(new Dim(t, newConstant));
    }

    /**
     * Whether the expression can never be negative: symbols stand for sizes (never negative), so a
     * polynomial with non-negative coefficients over them and their floor divisions of non-negative
     * numerators is not (a modulo, written {@code X - d*(X/d)}, is not proven).
     *
     * @return true when provably {@code >= 0}; false when it may be negative (or is not proven)
     */
    public boolean isNonNegative() {
        if (constant < 0) {
            return false;
        }
        for (Map.Entry<Monomial, Long> e : terms.entrySet()) {
            if (e.getValue() < 0) {
                return false;
            }
            for (Atom a : e.getKey().atoms) {
                if (a instanceof Division d && !d.numerator.isNonNegative()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The most evaluations {@link #provablyEquals} spends on a proof. */
    private static final long MAX_PROOF_POINTS = 1 << 16;

    /**
     * Decides whether the two expressions are equal for every integer value of their symbols, also
     * where their canonical forms differ (such as {@code S/2 + (S+1)/2} and {@code S}).
     *
     * <p>The difference {@code f} of the two is a quasi-polynomial: with {@code P} the least common
     * multiple, over its divisions, of the product of the divisors nested there, {@code f}
     * restricted to each residue class of the symbols modulo {@code P} is a polynomial of degree at
     * most {@code k_s} in each symbol {@code s} (the degree of the expression in {@code s}, a
     * division counting as its numerator). Such a polynomial is zero iff it is zero on a grid of
     * {@code k_s + 1} points per symbol, so evaluating {@code f} at {@code P^n * prod(k_s + 1)}
     * points decides the question. More than 65536 points, or an overflow, count as not proven.
     *
     * @param other another expression
     * @return whether they are equal for every value of the symbols (false when not proven)
     */
    public boolean provablyEquals(Dim other) {
        Dim diff = minus(other);
        if (diff.isConstant()) {
            return diff.constant == 0;
        }
        List<String> names = new ArrayList<>(diff.symbols());
        long period;
        long points;
        long[] degree = new long[names.size()];
        try {
            period = diff.period();
            points = 1;
            for (int i = 0; i < degree.length; i++) {
                degree[i] = diff.degree(names.get(i));
                points = Math.multiplyExact(points, Math.multiplyExact(period, degree[i] + 1));
            }
        } catch (ArithmeticException e) {
            return false;
        }
        if (points > MAX_PROOF_POINTS) {
            return false;
        }
        // residue r in [0, P) and grid index u in [1, k+1] per symbol: the value r + P*u (positive
        // sizes)
        long[] residue = new long[degree.length];
        long[] grid = new long[degree.length];
        Arrays.fill(grid, 1);
        Map<String, Long> bindings = new HashMap<>();
        try {
            while (true) {
                for (int i = 0; i < degree.length; i++) {
                    bindings.put(
                            names.get(i),
                            Math.addExact(residue[i], Math.multiplyExact(period, grid[i])));
                }
                if (diff.eval(bindings) != 0) {
                    return false;
                }
                int i = 0;
                while (i < degree.length) {
                    if (grid[i] <= degree[i]) {
                        grid[i]++;
                        break;
                    }
                    grid[i] = 1;
                    if (++residue[i] < period) {
                        break;
                    }
                    residue[i] = 0;
                    i++;
                }
                if (i == degree.length) {
                    return true;
                }
            }
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /**
     * A period of the quasi-polynomial: the lcm over divisions of the divisor times its numerator's
     * period.
     */
    private long period() {
        long p = 1;
        for (Monomial m : terms.keySet()) {
            for (Atom a : m.atoms) {
                if (a instanceof Division div) {
                    long q = Math.multiplyExact(div.divisor, div.numerator.period());
                    p = Math.multiplyExact(p / gcd(p, q), q);
                }
            }
        }
        return p;
    }

    /** The degree in {@code symbol}, a division counting as its numerator. */
    private long degree(String symbol) {
        long max = 0;
        for (Monomial m : terms.keySet()) {
            long d = 0;
            for (Atom a : m.atoms) {
                d +=
                        a instanceof Division div
                                ? div.numerator.degree(symbol)
                                : ((Symbol) a).name.equals(symbol) ? 1 : 0;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    private boolean symbolicPartDivisibleBy(long divisor) {
        return terms.values().stream().allMatch(c -> c % divisor == 0);
    }

    private void requirePositive(long divisor, String op) {
        if (divisor <= 0) {
            throw new IllegalArgumentException(
                    "cannot compute "
                            + this
                            + " "
                            + op
                            + " "
                            + divisor
                            + ": the divisor must be a positive constant");
        }
    }

    private static void addTerm(TreeMap<Monomial, Long> t, Monomial m, long c) {
        long sum = Math.addExact(t.getOrDefault(m, 0L), c);
        if (sum == 0) {
            t.remove(m);
        } else {
            t.put(m, sum);
        }
    }

    /** The expression as an operand of {@code /} or {@code %}: bracketed unless a lone atom. */
    private String asOperand() {
        boolean loneAtom =
                (isConstant() && constant >= 0)
                        || (constant == 0
                                && terms.size() == 1
                                && terms.firstEntry().getValue() == 1
                                && terms.firstKey().atoms.size() == 1
                                && terms.firstKey().atoms.get(0) instanceof Symbol);
        return loneAtom ? toString() : "(" + this + ")";
    }

    /**
     * @return e.g. {@code 2*S-2}, {@code (S-3)/2+1}, {@code S*T}, {@code 7}
     */
    @Override
    public String toString() {
        if (terms.isEmpty()) {
            return Long.toString(constant);
        }
        StringBuilder sb = new StringBuilder();
        // highest-degree terms first so that the printed form reads like a polynomial
        List<Map.Entry<Monomial, Long>> ordered = new ArrayList<>(terms.entrySet());
        ordered.sort(
                Comparator.comparing((Map.Entry<Monomial, Long> e) -> -e.getKey().atoms.size())
                        .thenComparing(e -> e.getKey().toString()));
        for (Map.Entry<Monomial, Long> e : ordered) {
            long c = e.getValue();
            if (sb.length() > 0) {
                sb.append(c < 0 ? "-" : "+");
            } else if (c < 0) {
                sb.append('-');
            }
            long abs = Math.abs(c);
            if (abs != 1) {
                sb.append(abs).append('*');
            }
            sb.append(e.getKey().render(abs == 1));
        }
        if (constant != 0) {
            sb.append(constant < 0 ? "-" : "+").append(Math.abs(constant));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dim d && constant == d.constant && terms.equals(d.terms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(terms, constant);
    }

    /** Orders constants numerically before symbolic expressions (by printed form). */
    @Override
    public int compareTo(Dim o) {
        if (isConstant() && o.isConstant()) {
            return Long.compare(constant, o.constant);
        }
        if (isConstant() != o.isConstant()) {
            return isConstant() ? -1 : 1;
        }
        return toString().compareTo(o.toString());
    }
}
