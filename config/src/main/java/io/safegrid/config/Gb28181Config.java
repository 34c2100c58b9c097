package io.safegrid.config;

import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * SafeGrid as a GB/T 28181 SIP server (docs/protocols.md): the cameras and NVRs allowed to register,
 * each with its own password and the grid node it belongs to. Off (port -1) unless configured.
 *
 * @param serverId          this server's 20-digit SIP id (type 200, central signalling server)
 * @param domain            the SIP domain and digest realm, by convention the first 10 digits of {@code serverId}
 * @param address           where to listen (UDP and TCP on the same port)
 * @param port              0 picks a free port, -1 off
 * @param keepaliveInterval how often devices send Keepalive unless a device says otherwise
 * @param keepaliveMissed   keepalives missed in a row before a device is offline
 * @param authFailures      failed registrations from one address and id allowed within {@code authWindow}
 * @param authWindow        how long failed registrations are remembered (and the block lasts)
 * @param uppers            platforms above this one (city, province) that this server registers to as a lower platform
 */
public record Gb28181Config(String serverId, String domain, String address, int port, Duration keepaliveInterval,
                            int keepaliveMissed, int authFailures, Duration authWindow, List<Device> devices,
                            List<Upper> uppers) {

    public Gb28181Config(String serverId, String domain, String address, int port, Duration keepaliveInterval,
                         int keepaliveMissed, int authFailures, Duration authWindow, List<Device> devices) {
        this(serverId, domain, address, port, keepaliveInterval, keepaliveMissed, authFailures, authWindow, devices, List.of());
    }

    /**
     * An upper platform SafeGrid registers to (upward cascade): it gets the shared channels in its Catalog,
     * their video when it INVITEs, and the county's alarms as Alarm notifications.
     *
     * @param id                the upper platform's 20-digit SIP id
     * @param domain            its SIP domain (the first 10 digits of its id unless it says otherwise)
     * @param transport         {@code UDP} or {@code TCP}, for SIP to it
     * @param password          the digest password it gave this platform
     * @param expires           registration lifetime asked for; renewed before it ends
     * @param keepaliveInterval how often a Keepalive goes up; 3 unanswered in a row mean registering again
     * @param retryMin          the first wait after a failed registration, doubled per failure up to {@code retryMax}
     * @param share             channel ids (of devices registered here) the upper platform may see and play
     * @param alarms            whether the county's alarms are sent up
     * @param shareCameras      cameras of {@code cameras:} (pulled, H.264) shown to the upper platform as channels:
     *                          the 20-digit channel id it sees → the camera's id
     */
    public record Upper(String id, String domain, String host, int port, String transport, String password,
                        Duration expires, Duration keepaliveInterval, Duration retryMin, Duration retryMax,
                        List<String> share, boolean alarms, java.util.Map<String, String> shareCameras) {
        public Upper {
            share = share == null ? List.of() : List.copyOf(share);
            shareCameras = shareCameras == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(shareCameras));
        }

        public Upper(String id, String domain, String host, int port, String transport, String password,
                     Duration expires, Duration keepaliveInterval, Duration retryMin, Duration retryMax,
                     List<String> share, boolean alarms) {
            this(id, domain, host, port, transport, password, expires, keepaliveInterval, retryMin, retryMax, share, alarms, null);
        }
    }

    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(60);

    /**
     * A device allowed to register: an IPC (type 131/132), DVR (111) or NVR (118).
     *
     * @param keepaliveInterval this device's keepalive interval, or null for the section's
     * @param channels          channels placed in the grid by the config; others are listed as unbound
     */
    public record Device(String id, String name, String password, GridPath grid, Duration keepaliveInterval,
                         List<Channel> channels) {
        public Device {
            channels = channels == null ? List.of() : List.copyOf(channels);
        }
    }

    /**
     * A catalog channel placed in the grid (on a node of its own, e.g. another enterprise behind one NVR).
     *
     * @param camera   a push camera of {@code cameras:} whose video this channel is, analysed as that camera; or null
     * @param onDemand the camera's video is fetched (and analysed) only while someone watches it in the console
     */
    public record Channel(String id, String name, GridPath grid, String camera, boolean onDemand) {
        public Channel(String id, String name, GridPath grid) {
            this(id, name, grid, null, false);
        }

        public Channel(String id, String name, GridPath grid, String camera) {
            this(id, name, grid, camera, false);
        }
    }

    public Gb28181Config {
        devices = devices == null ? List.of() : List.copyOf(devices);
        uppers = uppers == null ? List.of() : List.copyOf(uppers);
    }

    public static Gb28181Config none() {
        return new Gb28181Config("34020000002000000001", "3402000000", "0.0.0.0", -1, DEFAULT_KEEPALIVE, 3, 5,
                Duration.ofMinutes(1), List.of());
    }

    public boolean enabled() { return port >= 0; }

    public Optional<Device> device(String id) {
        return devices.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** The keepalive interval that applies to one device. */
    public Duration keepaliveOf(Device d) {
        return d.keepaliveInterval() != null ? d.keepaliveInterval() : keepaliveInterval;
    }
}
