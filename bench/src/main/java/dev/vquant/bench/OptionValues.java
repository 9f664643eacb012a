package dev.vquant.bench;

import java.util.List;

/** Reading the value that follows an option in hand-parsed subcommand arguments. */
public final class OptionValues {
    private OptionValues() {
    }

    /**
     * {@code args.get(i)}, the value of {@code option} (which stood at {@code i - 1}).
     *
     * @param args the subcommand's arguments
     * @param i the index of the value, one past the option
     * @param option the option's name, for the message
     * @return the value at {@code i}
     * @throws IllegalArgumentException "OPTION needs a value" when the arguments end there
     */
    public static String valueAt(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
