package io.safegrid.config;

/**
 * How one device proves who it is and how its protocol names it.
 *
 * @param secret MQTT password and HTTP bearer token of the device (MQTT username/client id is the device id)
 * @param hj212  its HJ 212 binding, or null when it does not speak HJ 212
 */
public record DeviceAccess(String deviceId, String secret, Hj212Binding hj212) {

    /**
     * @param mn       the data logger's MN
     * @param password the logger's PW
     * @param factor   the factor code this sensor is in the CP data area, e.g. {@code a21005};
     *                 {@code SBxxx} for a facility state ({@code SBxxx-RS})
     */
    public record Hj212Binding(String mn, String password, String factor) {
    }

    @Override
    public String toString() {
        return "DeviceAccess[" + deviceId + ", secret=***, hj212=" + (hj212 == null ? "none" : hj212.mn() + "/" + hj212.factor()) + "]";
    }
}
