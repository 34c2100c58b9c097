package io.safegrid.ingest.gb28181.cascade;

import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.device.CatalogChannel;
import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.manscdp.MansMessage;
import io.safegrid.ingest.gb28181.manscdp.Manscdp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers an upper platform's queries about this platform: Catalog (the channels its {@code share}
 * list names and the cameras its {@code share-cameras} list names, {@value #PER_MESSAGE} per MESSAGE with {@code SumNum}), DeviceInfo and DeviceStatus,
 * written in the charset the upper platform's query was written in.
 */
final class UpperCatalog {
    static final int PER_MESSAGE = 10;

    private final String selfId;
    private final Lower lower;
    private final java.util.function.Supplier<Gb28181Config> config;

    UpperCatalog(String selfId, Lower lower, java.util.function.Supplier<Gb28181Config> config) {
        this.selfId = selfId;
        this.lower = lower;
        this.config = config;
    }

    /** One channel as the upper platform sees it. */
    record Shared(String id, String name, String manufacturer, String model, boolean online) {
    }

    List<Shared> shared(Gb28181Config.Upper upper) {
        List<Shared> out = new ArrayList<>();
        for (String id : upper.share()) {
            Optional<GbDevice> d = lower.deviceOf(id);
            boolean online = d.isPresent() && d.get().online() && lower.registered(d.get().id());
            CatalogChannel c = d.flatMap(x -> x.channels().stream().filter(ch -> ch.id().equals(id)).findFirst()).orElse(null);
            String name = c != null && c.name() != null && !c.name().isBlank() ? c.name() : configuredName(id);
            out.add(new Shared(id, name, c == null || c.manufacturer() == null ? "SafeGrid" : c.manufacturer(),
                    c == null || c.model() == null ? "IPC" : c.model(), online));
        }
        upper.shareCameras().forEach((id, cameraId) -> lower.camera(cameraId).ifPresent(cam ->
                out.add(new Shared(id, cam.name(), "SafeGrid", "IPC", true))));
        return out;
    }

    private String configuredName(String id) {
        for (Gb28181Config.Device d : config.get().devices()) {
            if (d.id().equals(id)) {
                return d.name();
            }
            for (Gb28181Config.Channel c : d.channels()) {
                if (c.id().equals(id)) {
                    return c.name();
                }
            }
        }
        return id;
    }

    /** The answer's MESSAGE bodies (without prolog), or none for a query this platform does not answer. */
    List<String> answer(MansMessage q, Gb28181Config.Upper upper) {
        return switch (q.cmdType()) {
            case "Catalog" -> catalog(q.sn(), shared(upper));
            case "DeviceInfo" -> List.of("<Response>\r\n<CmdType>DeviceInfo</CmdType>\r\n<SN>" + q.sn() + "</SN>\r\n<DeviceID>"
                    + selfId + "</DeviceID>\r\n<DeviceName>SafeGrid</DeviceName>\r\n<Result>OK</Result>\r\n"
                    + "<Manufacturer>SafeGrid</Manufacturer>\r\n<Model>SafeGrid</Model>\r\n<Firmware>1</Firmware>\r\n<Channel>"
                    + (upper.share().size() + upper.shareCameras().size()) + "</Channel>\r\n</Response>\r\n");
            case "DeviceStatus" -> List.of("<Response>\r\n<CmdType>DeviceStatus</CmdType>\r\n<SN>" + q.sn() + "</SN>\r\n<DeviceID>"
                    + selfId + "</DeviceID>\r\n<Result>OK</Result>\r\n<Online>ONLINE</Online>\r\n<Status>OK</Status>\r\n</Response>\r\n");
            default -> List.of();
        };
    }

    private List<String> catalog(long sn, List<Shared> channels) {
        List<String> out = new ArrayList<>();
        String civil = selfId.substring(0, 6);
        for (int from = 0; from < channels.size() || from == 0; from += PER_MESSAGE) {
            List<Shared> part = channels.subList(Math.min(from, channels.size()), Math.min(from + PER_MESSAGE, channels.size()));
            StringBuilder b = new StringBuilder("<Response>\r\n<CmdType>Catalog</CmdType>\r\n<SN>").append(sn)
                    .append("</SN>\r\n<DeviceID>").append(selfId).append("</DeviceID>\r\n<SumNum>").append(channels.size())
                    .append("</SumNum>\r\n<DeviceList Num=\"").append(part.size()).append("\">\r\n");
            for (Shared c : part) {
                b.append("<Item>\r\n<DeviceID>").append(c.id()).append("</DeviceID>\r\n<Name>").append(Manscdp.escape(c.name()))
                        .append("</Name>\r\n<Manufacturer>").append(Manscdp.escape(c.manufacturer()))
                        .append("</Manufacturer>\r\n<Model>").append(Manscdp.escape(c.model()))
                        .append("</Model>\r\n<Owner>SafeGrid</Owner>\r\n<CivilCode>").append(civil)
                        .append("</CivilCode>\r\n<Address>SafeGrid</Address>\r\n<Parental>0</Parental>\r\n<ParentID>")
                        .append(selfId).append("</ParentID>\r\n<RegisterWay>1</RegisterWay>\r\n<Secrecy>0</Secrecy>\r\n<Status>")
                        .append(c.online() ? "ON" : "OFF").append("</Status>\r\n</Item>\r\n");
            }
            out.add(b.append("</DeviceList>\r\n</Response>\r\n").toString());
        }
        return out;
    }
}
