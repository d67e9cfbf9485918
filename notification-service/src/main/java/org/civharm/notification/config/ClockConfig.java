package org.civharm.notification.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The one source of "now" for due dates, overdue checks, escalation and delivery back-off. Tests replace it with a
 * clock they can move ({@code @Primary} bean).
 */
@Configuration
public class ClockConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
