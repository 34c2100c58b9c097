package io.safegrid.model.device;

import io.safegrid.model.grid.GridPath;
import java.util.List;

/** A video camera with what to analyse and where. */
public record Camera(String id, String name, GridPath site, CameraSource source, AnalysisSettings analysis,
                     List<Zone> zones) implements Device {
    public Camera {
        zones = List.copyOf(zones);
    }
}
