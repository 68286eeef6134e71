package dev.sluice.balancer.lb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: servers s1..sN with ids 1..N and fresh counters. */
final class Servers {
    private Servers() {
    }

    static List<Candidate> weighted(int... weights) {
        List<Candidate> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(Candidate.of(i + 1, "s" + (i + 1), weights[i]));
        }
        return list;
    }

    static String names(LoadBalancer lb, int picks) {
        PickContext context = new PickContext();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < picks; i++) {
            Candidate c = lb.pick(context);
            sb.append(sb.isEmpty() ? "" : " ").append(c == null ? "-" : c.name());
        }
        return sb.toString();
    }

    static Map<String, Integer> counts(LoadBalancer lb, PickContext context, int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            Candidate c = lb.pick(context);
            counts.merge(c == null ? "-" : c.name(), 1, Integer::sum);
        }
        return counts;
    }

    static LoadCounters load(Candidate c) {
        return (LoadCounters) c.load();
    }
}
