package org.civharm.accountability;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** What follows an allegation on record: investigations, attribution, explanation, apology, amends, correspondence. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AccountabilityServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(AccountabilityServiceApplication.class, args);
    }
}
