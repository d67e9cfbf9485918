package org.civharm.infra.bench;

import java.time.Duration;
import java.util.List;

/** The bounds of one benchmark run: every loop stops at a count or a time limit, whichever comes first. */
final class Mode {

    final String name;
    final int kafkaRecords;
    final int mongoSingleInserts;
    final int mongoManyInserts;
    final Duration rawTimeLimit;
    final int clients;
    final int throughputCommands;
    final Duration throughputTime;
    List<Integer> rates;
    final Duration rateDuration;
    final boolean searchP99Crossing;
    final int longCaseEvents;
    final Duration rebuildTimeLimit;
    List<Integer> registerSizes;
    Duration growthTimeLimit;
    /**
     * Incident events per case the register growth writes: filed, then {@code n - 2} evidence items, then
     * acknowledged. 2 by default; 10 gives the "100 k cases (about 1 M events)" where the hours allow.
     */
    int growthEventsPerCase = 2;
    /**
     * Grow the register mostly by seeding (incident-service's register seed appends whole cases through its event
     * store) instead of by commands: each size's cases but the last window are seeded, the system is left to catch
     * up, and the last window is filed by HTTP, so throughput is still measured at that size. Off by default.
     */
    boolean growthBySeed;
    /** How long to wait for the system to drain before a latency or throughput phase, and for a view to catch up. */
    final Duration settleLimit;

    private Mode(String name, int kafkaRecords, int mongoSingleInserts, int mongoManyInserts, Duration rawTimeLimit,
                 int clients, int throughputCommands, Duration throughputTime, List<Integer> rates,
                 Duration rateDuration, boolean searchP99Crossing, int longCaseEvents, Duration rebuildTimeLimit,
                 List<Integer> registerSizes, Duration growthTimeLimit) {
        this.name = name;
        this.kafkaRecords = kafkaRecords;
        this.mongoSingleInserts = mongoSingleInserts;
        this.mongoManyInserts = mongoManyInserts;
        this.rawTimeLimit = rawTimeLimit;
        this.clients = clients;
        this.throughputCommands = throughputCommands;
        this.throughputTime = throughputTime;
        this.rates = rates;
        this.rateDuration = rateDuration;
        this.searchP99Crossing = searchP99Crossing;
        this.longCaseEvents = longCaseEvents;
        this.rebuildTimeLimit = rebuildTimeLimit;
        this.registerSizes = registerSizes;
        this.growthTimeLimit = growthTimeLimit;
        this.settleLimit = name.equals("short") ? Duration.ofSeconds(60) : Duration.ofMinutes(10);
    }

    static Mode of(String name) {
        return switch (name) {
            case "short" -> new Mode("short", 60_000, 5_000, 20_000, Duration.ofSeconds(20),
                    8, 3_000, Duration.ofSeconds(30), List.of(10, 25, 50), Duration.ofSeconds(20), false,
                    1_000, Duration.ofSeconds(90), List.of(), Duration.ZERO);
            case "full" -> new Mode("full", 300_000, 20_000, 100_000, Duration.ofSeconds(90),
                    16, 30_000, Duration.ofSeconds(120), List.of(10, 50, 200, 500), Duration.ofSeconds(60), true,
                    1_000, Duration.ofMinutes(30), List.of(10_000, 100_000), Duration.ofHours(6));
            default -> throw new IllegalArgumentException("mode must be short or full, not " + name);
        };
    }
}
