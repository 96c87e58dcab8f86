package io.splitrank.experiments;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether an edit to a running experiment must start a new phase. A new phase is needed
 * when the edit can move a unit that is already in the experiment to another arm, or changes what
 * an arm serves, so that results from before and after the edit must not be pooled:
 *
 * <ul>
 *   <li>{@code seed}, {@code hashAttribute} or {@code hashVersion} change (everyone is rehashed);
 *   <li>the arms change: their number, keys or order, their weights, or the model an arm serves.
 * </ul>
 *
 * Coverage, targeting condition, layer and layer range, and arm display names do not start a phase:
 * they change who enters, never which arm an entered unit gets (see {@link
 * BucketRanges#getBucketRange}).
 */
public final class PhaseChange {

    private PhaseChange() {}

    /** True when going from {@code before} to {@code after} must start a new phase. */
    public static boolean requiresNewPhase(Experiment before, Experiment after) {
        return !changedAssignmentFields(before, after).isEmpty();
    }

    /**
     * The names of the fields whose change forces a new phase ({@code seed}, {@code hashAttribute},
     * {@code hashVersion}, {@code arms}, {@code weights}, {@code models}), in that order; empty
     * when none changed.
     */
    public static List<String> changedAssignmentFields(Experiment before, Experiment after) {
        List<String> changed = new ArrayList<>();
        if (!before.seed().equals(after.seed())) {
            changed.add("seed");
        }
        if (!before.hashAttribute().equals(after.hashAttribute())) {
            changed.add("hashAttribute");
        }
        if (before.hashVersion() != after.hashVersion()) {
            changed.add("hashVersion");
        }
        if (!armKeys(before).equals(armKeys(after))) {
            changed.add("arms");
        }
        if (!before.weights().equals(after.weights())) {
            changed.add("weights");
        }
        if (!before.arms().stream()
                .map(Arm::model)
                .toList()
                .equals(after.arms().stream().map(Arm::model).toList())) {
            changed.add("models");
        }
        return List.copyOf(changed);
    }

    /**
     * The experiment to store after an edit: {@code edited} in phase {@code before.phase() + 1}
     * when the edit requires a new phase, otherwise {@code edited} in {@code before.phase()}.
     */
    public static Experiment applyEdit(Experiment before, Experiment edited) {
        int phase = requiresNewPhase(before, edited) ? before.phase() + 1 : before.phase();
        return edited.phase() == phase ? edited : edited.withPhase(phase);
    }

    private static List<String> armKeys(Experiment experiment) {
        return experiment.arms().stream().map(Arm::key).toList();
    }
}
