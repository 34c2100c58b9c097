package io.safegrid.config.yaml;

import io.safegrid.config.BusConfig;
import io.safegrid.config.CascadeConfig;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.EscalationPolicy;
import io.safegrid.config.Gb28181Config;
import io.safegrid.config.AlarmsConfig;
import io.safegrid.config.HazardsConfig;
import io.safegrid.config.AssessmentConfig;
import io.safegrid.config.ConsoleConfig;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.RecordConfig;
import io.safegrid.config.AcceptanceConfig;
import io.safegrid.config.Roster;
import io.safegrid.config.RuleDef;
import io.safegrid.config.UserDef;
import io.safegrid.config.VideoConfig;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Turns the text of one deployment file into a {@link Deployment}, or a {@link ConfigException}
 * listing every problem with its line. Works on the YAML node tree (not on maps) so that each
 * value still knows where it was written.
 */
public final class DeploymentReader {
    private static final String[] TOP = {"name", "node", "metrics", "device-classes", "grid", "sensors", "cameras",
            "rules", "escalation", "rosters", "channels", "users", "record", "cascade", "bus", "acceptance", "video", "gb28181",
            "hazards", "alarms", "assessment", "console"};

    private final Function<String, String> env;

    /** @param env looks up {@code ${NAME}} references; {@code System::getenv} in production */
    public DeploymentReader(Function<String, String> env) {
        this.env = env;
    }

    /**
     * @param fileName what errors call the file, e.g. {@code county.yaml}
     * @param source   recorded in the result; may be null
     */
    public Deployment read(String fileName, String text, Path source) {
        Problems problems = new Problems(fileName);
        Env vars = new Env(env);
        Doc doc = new Doc(problems, vars);
        Node root = compose(fileName, text, problems);
        if (root == null) {
            throw new ConfigException(problems.sorted());
        }
        MapReader top = doc.map(root, "", TOP);
        if (!top.present()) {
            throw new ConfigException(problems.sorted());
        }
        Refs refs = new Refs();
        String name = top.required("name");
        NodeSettings node = NodeSection.read(doc, top.get("node"));
        CatalogueSection.metrics(doc, top.list("metrics"), refs);
        CatalogueSection.deviceClasses(doc, top.list("device-classes"), refs);
        Grid grid = GridSection.read(doc, top.get("grid"), refs);
        GridPath root0 = grid.roots().stream().findFirst().map(GridNode::path).orElse(null);
        List<ChannelDef> channels = PeopleSection.channels(doc, top.list("channels"), refs);
        List<UserDef> users = PeopleSection.users(doc, top.list("users"), refs, root0);
        Ids deviceIds = new Ids(doc, "device");
        SensorSection sensors = new SensorSection(doc, refs);
        sensors.read(top.list("sensors"), deviceIds);
        VideoConfig video = VideoSection.read(doc, top.get("video"));
        CameraSection cameras = new CameraSection(doc, refs, video);
        cameras.read(top.list("cameras"), deviceIds, sensors.access);
        List<RuleDef> rules = RuleSection.read(doc, top.list("rules"), refs);
        EscalationPolicy escalation = EscalationSection.read(doc, top.get("escalation"));
        List<Roster> rosters = PeopleSection.rosters(doc, top.list("rosters"), refs);
        RecordConfig record = RecordSection.read(doc, top.get("record"));
        CascadeConfig cascade = CascadeSection.read(doc, top.get("cascade"), grid);
        BusConfig bus = BusSection.read(doc, top.get("bus"));
        AcceptanceConfig acceptance = AcceptanceSection.read(doc, top.get("acceptance"));
        Gb28181Config gb28181 = Gb28181Section.read(doc, top.get("gb28181"), refs, node.bindAddress(), cameras.cameras);
        HazardsConfig hazards = HazardsSection.read(doc, top.get("hazards"));
        AlarmsConfig alarms = AlarmsSection.read(doc, top.get("alarms"));
        AssessmentConfig assessment = AssessmentSection.read(doc, top.get("assessment"));
        ConsoleConfig console = ConsoleSection.read(doc, top.get("console"), grid);
        if (!node.demo()) {
            DemoSecrets.check(doc, vars, top);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        return new Deployment(name, node, refs.metrics, refs.classes, grid, sensors.sensors, sensors.access,
                cameras.cameras, rules, escalation, rosters, channels, users, record, source, cascade, bus, acceptance, video,
                gb28181, hazards, alarms, assessment, console);
    }

    private static Node compose(String fileName, String text, Problems problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(fileName).build();
        try {
            Optional<Node> node = new Compose(settings).composeString(text);
            if (node.isEmpty()) {
                problems.atLine(0, "", "the file is empty");
                return null;
            }
            return node.get();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            String what = e.getProblem() == null ? "" : e.getProblem();
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            problems.atLine(line, "", "YAML syntax: " + context + what);
            return null;
        } catch (YamlEngineException e) {
            problems.atLine(0, "", "YAML syntax: " + e.getMessage());
            return null;
        }
    }

}
