package org.civharm.incident.web;

import org.civharm.contract.personal.PersonalDetails;
import org.civharm.contract.personal.SealedPersonalData;
import org.civharm.incident.config.Roles;
import org.civharm.incident.privacy.PersonalDataVault;
import org.civharm.incident.views.AllegationSummary;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Opens sealed identities in a summary for readers cleared for personal data (caseworkers, investigators); everyone
 * else sees a redaction marker, and after erasure everyone sees the erasure marker. Ciphertext never leaves in a
 * response; the subject id only to cleared readers.
 */
@Component
public class PersonalDataReveal {

    private final PersonalDataVault vault;

    public PersonalDataReveal(PersonalDataVault vault) {
        this.vault = vault;
    }

    public static boolean cleared() {
        var auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getAuthorities().stream().anyMatch(a ->
                a.getAuthority().equals("ROLE_" + Roles.CASEWORKER) || a.getAuthority().equals("ROLE_" + Roles.INVESTIGATOR));
    }

    public AllegationSummary forReader(AllegationSummary summary) {
        boolean cleared = cleared();
        for (AllegationSummary.Victim v : summary.victims) {
            v.person = reveal(v.identity, cleared);
            v.identity = cleared ? new SealedPersonalData(v.identity.subjectId(), null, null, null) : null;
        }
        for (AllegationSummary.WitnessStatement w : summary.witnessStatements) {
            w.person = reveal(w.witness, cleared);
            w.witness = cleared ? new SealedPersonalData(w.witness.subjectId(), null, null, null) : null;
        }
        return summary;
    }

    private PersonalDetails reveal(SealedPersonalData sealed, boolean cleared) {
        if (!cleared) {
            return new PersonalDetails(SealedPersonalData.REDACTED, null, null);
        }
        return vault.open(sealed).orElse(new PersonalDetails(SealedPersonalData.ERASED, null, null));
    }
}
