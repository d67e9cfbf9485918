package org.civharm.notification.service;

import org.civharm.notification.config.PolicyProperties;
import org.civharm.notification.domain.PolicyKind;
import org.civharm.notification.domain.PolicySet;
import org.civharm.notification.domain.PolicySettings;
import org.civharm.notification.store.PolicyStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class PolicyServiceTest {

    private final TimeSource time = new TimeSource(Clock.fixed(Instant.parse("2025-03-01T08:00:00Z"), ZoneOffset.UTC));

    @Test
    void a_bad_configured_policy_stops_the_service_naming_the_property() {
        PolicyStore store = mock(PolicyStore.class);
        PolicyProperties properties = new PolicyProperties(Map.of(
                "assessment-due", new PolicySettings(true, -1, null, null)));
        assertThatThrownBy(() -> new PolicyService(store, properties, time))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("civharm.policies.assessment-due.days must be between 1 and 3650");
        verify(store, never()).insertIfAbsent(any());
    }

    @Test
    void configuration_seeds_a_new_database_and_the_stored_set_wins_afterwards() {
        PolicyStore store = mock(PolicyStore.class);
        PolicySet stored = PolicySet.defaults().change(Map.of("assessment-due", new PolicySettings(null, 45, null, null)),
                Instant.parse("2025-01-01T00:00:00Z"), "admin.lina").result();
        when(store.insertIfAbsent(any())).thenReturn(false);
        when(store.load()).thenReturn(Optional.of(stored));
        PolicyService service = new PolicyService(store, new PolicyProperties(Map.of(
                "assessment-due", new PolicySettings(null, 20, null, null))), time);
        assertThat(service.current().get(PolicyKind.ASSESSMENT_DUE).value()).isEqualTo(45);
        assertThat(service.current().updatedBy()).isEqualTo("admin.lina");
    }
}
