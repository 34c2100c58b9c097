package io.safegrid.ingest.gb28181;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import java.util.Map;

/** A county with one NVR (two channels, one placed on another enterprise) and one IPC, read from YAML as an operator writes it. */
final class GbCounty {
    static final String SERVER = "34020000002000000001";
    static final String NVR = "34020000001180000001";
    static final String NVR_PASSWORD = "nvr-s3cret";
    static final String CH1 = "34020000001320000001";
    static final String CH2 = "34020000001320000002";
    static final String IPC = "34020000001320000009";
    static final String IPC_PASSWORD = "ipc-s3cret";

    private GbCounty() {
    }

    static ConfigSource config(int port, String keepalive) {
        return config(port, keepalive, "");
    }

    /** @param more further {@code gb28181:} keys, as YAML lines indented by two spaces */
    static ConfigSource config(int port, String keepalive, String more) {
        String yaml = """
                name: 测试县
                grid:
                  id: xian
                  kind: county
                  children:
                    - id: town
                      kind: township
                      children:
                        - {id: mine, kind: enterprise, industry: coal-mine}
                        - {id: plant, kind: enterprise, industry: chemical}
                gb28181:
                  server-id: "%s"
                  address: 127.0.0.1
                  listen-port: %d
                  keepalive-interval: %s
                  keepalive-missed: 3
                  auth-failures: 3
                  devices:
                    - id: "%s"
                      name: 矿井NVR
                      password: ${NVR_PASSWORD}
                      grid: xian/town/mine
                      channels:
                        - {id: "%s", grid: xian/town/mine}
                    - id: "%s"
                      name: 仓库IPC
                      password: %s
                      grid: xian/town/plant
                """.formatted(SERVER, port, keepalive, NVR, CH1, IPC, IPC_PASSWORD) + more;
        Deployment d = new DeploymentLoader(Map.of("NVR_PASSWORD", NVR_PASSWORD)::get).read("county.yaml", yaml, null);
        return ConfigSource.of(d);
    }
}
