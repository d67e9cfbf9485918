package org.civharm.notification.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Clock;

/** Replaces the service's clock with the movable {@link TestClock}. */
@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfig {

    @Bean
    @Primary
    Clock testClock() {
        return TestClock.INSTANCE;
    }
}
