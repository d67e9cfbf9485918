package org.civharm.infra.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Prints a token for the local system: {@code infra/mint-token.sh <user> <ROLE>... [--hours N]}.
 * Roles: CASEWORKER, INVESTIGATOR, ACCOUNTABILITY_OFFICER, AUDITOR, ADMIN, PUBLIC. Uses the key pair the launcher
 * keeps in the data folder ({@code CIVHARM_DATA_DIR}, default {@code ./data}).
 */
public final class MintToken {

    static final Set<String> ROLES = Set.of("CASEWORKER", "INVESTIGATOR", "ACCOUNTABILITY_OFFICER", "AUDITOR", "ADMIN", "PUBLIC");

    private MintToken() {
    }

    public static void main(String[] args) throws Exception {
        List<String> words = Arrays.asList(args);
        long hours = 8;
        int flag = words.indexOf("--hours");
        if (flag >= 0) {
            hours = Long.parseLong(words.get(flag + 1));
            words = new java.util.ArrayList<>(words);
            words.remove(flag + 1);
            words.remove(flag);
        }
        if (words.size() < 2) {
            System.err.println("usage: mint-token.sh <user> <ROLE>... [--hours N]   roles: " + ROLES);
            System.exit(2);
        }
        List<String> roles = words.subList(1, words.size()).stream().map(String::toUpperCase).toList();
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                System.err.println("unknown role " + role + "; roles: " + ROLES);
                System.exit(2);
            }
        }
        String dataDir = System.getenv().getOrDefault("CIVHARM_DATA_DIR", "data");
        LocalKeys keys = LocalKeys.ensure(Path.of(dataDir).toAbsolutePath());
        System.out.println(Tokens.mint(keys.privateKey(), words.get(0), roles, Duration.ofHours(hours)));
    }
}
