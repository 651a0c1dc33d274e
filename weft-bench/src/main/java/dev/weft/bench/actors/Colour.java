package dev.weft.bench.actors;

/** A chameneos creature's colour, and the colour two creatures take when they meet. */
enum Colour {
    BLUE, RED, YELLOW;

    private static final Colour[] ALL = values();

    /** The colour of creature {@code i}: the three in turn. */
    static Colour of(int i) {
        return ALL[i % ALL.length];
    }

    /** The colour this creature takes on meeting one of {@code other}: the same, or the third. */
    Colour complement(Colour other) {
        return this == other ? this : ALL[3 - ordinal() - other.ordinal()];
    }
}
