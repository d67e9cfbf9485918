package org.civharm.notification.channels;

import org.civharm.notification.config.ChannelProperties;
import org.civharm.notification.config.ContractJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Builds the configured channels: the webhook when {@code civharm.channels.webhook.url} is set, e-mail when an SMTP
 * host and recipients are set, the Kafka topic unless {@code civharm.channels.kafka.enabled=false}. A channel that is
 * not configured does not exist, and its transitions are not queued for it.
 */
@Configuration
public class ChannelConfig {

    private static final Logger log = LoggerFactory.getLogger(ChannelConfig.class);

    @Bean
    Channels channels(ChannelProperties properties, KafkaTemplate<String, String> kafka, ContractJson json, Clock clock,
                      @Value("${civharm.kafka.send-timeout:30s}") Duration kafkaSendTimeout) {
        List<AlertChannel> channels = new ArrayList<>();
        if (properties.webhook().enabled()) {
            channels.add(new WebhookChannel(properties.webhook(), clock));
        }
        if (properties.email().enabled()) {
            channels.add(new EmailChannel(properties.email(), mailSender(properties.email()), json.reader()));
        }
        if (properties.kafka().enabled()) {
            channels.add(new KafkaAlertChannel(properties.kafka(), kafka, kafkaSendTimeout));
        }
        log.info("alert channels: {}", channels.stream().map(AlertChannel::name).toList());
        return new Channels(channels);
    }

    static JavaMailSenderImpl mailSender(ChannelProperties.Email email) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(email.host().strip());
        sender.setPort(email.port());
        sender.setDefaultEncoding("UTF-8");
        Properties props = new Properties();
        String timeout = String.valueOf(email.timeout().toMillis());
        props.put("mail.smtp.connectiontimeout", timeout);
        props.put("mail.smtp.timeout", timeout);
        props.put("mail.smtp.writetimeout", timeout);
        if (email.username() != null && !email.username().isBlank()) {
            sender.setUsername(email.username());
            sender.setPassword(email.password());
            props.put("mail.smtp.auth", "true");
        }
        if (email.starttls()) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        }
        sender.setJavaMailProperties(props);
        return sender;
    }
}
