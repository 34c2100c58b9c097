package io.safegrid.node.analyze;

import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code purpose:name=x,y;x,y;x,y[@dwell][#maxPeople][!object]} → a {@link Zone}, e.g.
 * {@code restricted:gate=0.1,0.5;0.4,0.5;0.4,0.9;0.1,0.9} or {@code crowd:yard=0,0;1,0;1,1;0,1#5};
 * {@code !motion} (or {@code !car} …) says what counts in a restricted or danger zone (a person by default).
 * Coordinates are fractions of the picture, (0,0) top left.
 */
final class ZoneSpec implements CommandLine.ITypeConverter<Zone> {

    @Override
    public Zone convert(String value) {
        return parse(value);
    }

    static Zone parse(String value) {
        try {
            int colon = value.indexOf(':');
            int eq = value.indexOf('=');
            if (colon < 1 || eq < colon + 2) {
                throw new IllegalArgumentException("expected purpose:name=x,y;x,y;x,y");
            }
            ZonePurpose purpose = ZonePurpose.parse(value.substring(0, colon));
            String name = value.substring(colon + 1, eq).trim();
            String rest = value.substring(eq + 1).trim();
            int maxPeople = 0;
            double dwell = 0;
            String object = Zone.PERSON;
            int bang = rest.indexOf('!');
            if (bang >= 0) {
                object = rest.substring(bang + 1).trim();
                rest = rest.substring(0, bang);
            }
            int hash = rest.indexOf('#');
            if (hash >= 0) {
                maxPeople = Integer.parseInt(rest.substring(hash + 1).trim());
                rest = rest.substring(0, hash);
            }
            int at = rest.indexOf('@');
            if (at >= 0) {
                dwell = Double.parseDouble(rest.substring(at + 1).trim());
                rest = rest.substring(0, at);
            }
            List<Point> points = new ArrayList<>();
            for (String p : rest.split(";")) {
                String[] xy = p.trim().split(",");
                if (xy.length != 2) {
                    throw new IllegalArgumentException("point '" + p + "' is not x,y");
                }
                points.add(new Point(Double.parseDouble(xy[0].trim()), Double.parseDouble(xy[1].trim())));
            }
            return new Zone(name, purpose, points, maxPeople, dwell, object);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("bad zone '" + value + "': " + e.getMessage());
        }
    }
}
