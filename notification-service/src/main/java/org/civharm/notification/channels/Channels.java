package org.civharm.notification.channels;

import org.civharm.notification.domain.AlertTransition;

import java.util.List;
import java.util.Optional;

/** The configured channels (see {@link ChannelConfig}). */
public class Channels {

    private final List<AlertChannel> channels;

    public Channels(List<AlertChannel> channels) {
        this.channels = List.copyOf(channels);
    }

    public List<AlertChannel> carrying(AlertTransition transition) {
        return channels.stream().filter(c -> c.carries(transition)).toList();
    }

    public Optional<AlertChannel> named(String name) {
        return channels.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return channels.stream().map(AlertChannel::name).toList();
    }
}
