package org.civharm.notification.config;

import org.civharm.notification.domain.AlertTransition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The notification channels. Each is optional: the webhook is on when a URL is set, e-mail when an SMTP host and at
 * least one recipient are set, the Kafka topic unless switched off. Each can be limited to some transitions.
 */
@ConfigurationProperties("civharm.channels")
public record ChannelProperties(@DefaultValue Webhook webhook, @DefaultValue Email email, @DefaultValue Kafka kafka) {

    /**
     * @param url         where alert events are POSTed; blank = channel off
     * @param secret      HMAC-SHA256 key for {@code X-Civharm-Signature}; required when a URL is set
     * @param timeout     connect and request timeout of one attempt
     * @param transitions which transitions are posted (default all)
     */
    public record Webhook(String url, String secret, @DefaultValue("10s") Duration timeout,
                          Set<AlertTransition> transitions) {
        public Webhook {
            transitions = all(transitions);
        }

        public boolean enabled() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * @param host                  SMTP host; blank = channel off
     * @param port                  SMTP port
     * @param username              SMTP user; blank = no authentication
     * @param password              SMTP password
     * @param starttls              use STARTTLS
     * @param from                  sender address
     * @param recipients            who gets every alert mail
     * @param escalationRecipients  who also gets the mails of escalated alerts (e.g. a supervisor)
     * @param transitions           which transitions are mailed (default all)
     */
    public record Email(String host, @DefaultValue("25") int port, String username, String password,
                        @DefaultValue("false") boolean starttls,
                        @DefaultValue("civharm-alerts@localhost") String from,
                        List<String> recipients, List<String> escalationRecipients,
                        @DefaultValue("10s") Duration timeout,
                        Set<AlertTransition> transitions) {
        public Email {
            recipients = clean(recipients);
            escalationRecipients = clean(escalationRecipients);
            transitions = all(transitions);
        }

        public boolean enabled() {
            return host != null && !host.isBlank() && !recipients.isEmpty();
        }
    }

    /**
     * @param enabled     publish alert events on {@code civharm.notification.alerts.v1}
     * @param transitions which transitions are published (default all)
     */
    public record Kafka(@DefaultValue("true") boolean enabled, Set<AlertTransition> transitions) {
        public Kafka {
            transitions = all(transitions);
        }
    }

    private static Set<AlertTransition> all(Set<AlertTransition> given) {
        return given == null || given.isEmpty() ? EnumSet.allOf(AlertTransition.class) : EnumSet.copyOf(given);
    }

    private static List<String> clean(List<String> addresses) {
        return addresses == null ? List.of()
                : addresses.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
