package io.safegrid.ingest.hj212;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.guard.Logins;
import io.safegrid.ingest.intake.ReadingIntake;
import io.safegrid.ingest.json.PayloadException;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns decoded HJ 212 frames into readings: checks CRC, header, MN and PW against config, maps
 * each factor to its sensor through the logger's bindings, and replies as the Flag's A bit asks —
 * 9014 once the readings are on the bus, 9011 with a QnRtn when the frame is refused. A bad
 * frame never closes the connection, except a wrong MN or PW repeated (see {@link Logins}).
 */
public final class Hj212Handler extends SimpleChannelInboundHandler<Object> {
    private static final Logger LOG = LoggerFactory.getLogger(Hj212Handler.class);
    public static final String PROTOCOL = "hj212";

    private final Supplier<DeviceDirectory> directory;
    private final ReadingIntake intake;
    private final Clock clock;
    private final ZoneId zone;

    /** @param zone the zone of DataTime (loggers send local time; Asia/Shanghai in China) */
    public Hj212Handler(Supplier<DeviceDirectory> directory, ReadingIntake intake, Clock clock, ZoneId zone) {
        this.directory = directory;
        this.intake = intake;
        this.clock = clock;
        this.zone = zone;
    }

    /** The period a data upload command covers; null for commands ingest does not take. */
    public static Period periodOf(String cn) {
        return switch (cn) {
            case "2011", "2021" -> Period.REALTIME;
            case "2051" -> Period.MINUTE;
            case "2061" -> Period.HOUR;
            case "2031" -> Period.DAY;
            default -> null;
        };
    }

    /** What statistic a factor field suffix is; null for fields that are not values (Flag, converted Zs*, …). */
    public static Statistic statisticOf(String suffix) {
        return switch (suffix) {
            case "Rtd", "RS" -> Statistic.VALUE;
            case "Min" -> Statistic.MIN;
            case "Avg" -> Statistic.AVG;
            case "Max" -> Statistic.MAX;
            case "Cou" -> Statistic.TOTAL;
            default -> null;
        };
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (Logins.givenUp(ctx.channel())) {
            return;
        }
        if (msg instanceof Hj212FrameError e) {
            reject(ctx, e.reason(), e.detail());
        } else if (msg instanceof Hj212Frame f) {
            frame(ctx, f);
        }
    }

    private void frame(ChannelHandlerContext ctx, Hj212Frame f) {
        if (!f.crcOk()) {
            reject(ctx, "crc", "CRC " + f.crc() + " does not match " + Hj212Crc.hex(Hj212Crc.of(f.data())));
            Hj212Packet p = Hj212Parser.lenient(f.data());
            if (p != null && p.answerRequested()) {
                reply(ctx, Hj212Replies.requestReply(p, QnRtn.CRC_ERROR));
            }
            return;
        }
        Hj212Packet p;
        try {
            p = Hj212Parser.parse(f.data());
        } catch (Hj212Exception e) {
            refuse(ctx, Hj212Parser.lenient(f.data()), e.qnRtn(), e.reason(), e.getMessage());
            return;
        }
        DeviceDirectory dir = directory.get();
        DeviceDirectory.Logger logger = dir.logger(p.mn()).orElse(null);
        if (!Logins.allowed(ctx.channel(), p.mn())) {
            refuse(ctx, p, QnRtn.BAD_PASSWORD, "throttled", "too many wrong PWs for MN " + p.mn() + " or from this address");
            Logins.giveUp(ctx.channel());
            intake.reply(ctx.channel(), PROTOCOL, ctx::close);
            return;
        }
        if (logger == null) {
            badLogin(ctx, dir, p, QnRtn.BAD_MN, "unknown-mn", "MN " + p.mn() + " is not configured");
            return;
        }
        if (logger.password() == null || !DeviceDirectory.constantTimeEquals(logger.password(), p.pw())) {
            badLogin(ctx, dir, p, QnRtn.BAD_PASSWORD, "bad-password", "wrong PW for MN " + p.mn());
            return;
        }
        Logins.succeeded(ctx.channel(), p.mn());
        Period period = periodOf(p.cn());
        if (period == null) {
            refuse(ctx, p, QnRtn.BAD_CN, "unsupported-cn", "CN " + p.cn() + " is not a data upload ingest takes");
            return;
        }
        DataArea area;
        try {
            area = Hj212Parser.dataArea(p.cp());
        } catch (Hj212Exception e) {
            refuse(ctx, p, e.qnRtn(), e.reason(), e.getMessage());
            return;
        }
        Instant received = clock.instant();
        Instant time = area.dataTime() == null ? received : area.dataTime().atZone(zone).toInstant();
        try {
            intake.check(time);
        } catch (PayloadException e) {
            refuse(ctx, p, QnRtn.REFUSED, e.reason(), e.getMessage());
            return;
        }
        Map<Sensor, List<Reading>> bySensor = new LinkedHashMap<>();
        for (var e : area.factors().entrySet()) {
            Sensor s = logger.sensorsByFactor().get(e.getKey());
            if (s == null) {
                reject(ctx, "unknown-factor", "MN " + p.mn() + " factor " + e.getKey() + " is not bound to a sensor");
                continue;
            }
            List<Reading> rs = readings(ctx, s, period, e.getValue(), time, received);
            if (!rs.isEmpty()) {
                bySensor.computeIfAbsent(s, k -> new ArrayList<>()).addAll(rs);
            }
        }
        int admitted = 0;
        int limited = 0;
        for (var e : bySensor.entrySet()) {
            Sensor s = e.getKey();
            if (!intake.admit(s.id(), e.getValue().size())) {
                limited++;
                reject(ctx, "rate-limited", "sensor " + s.id() + " over its readings/s limit");
                intake.holdBack(ctx.channel(), PROTOCOL);
                continue;
            }
            admitted++;
            // a frame that asks for a reply is answered for by its 9014 below; one that does not, by nothing
            intake.publish(ctx.channel(), PROTOCOL, s.id(), e.getValue(), () -> { }, p.answerRequested() ? null : r -> { });
        }
        if (p.answerRequested()) {
            Hj212Reply r = limited > 0 && admitted == 0 ? Hj212Replies.requestReply(p, QnRtn.REFUSED) : Hj212Replies.dataAck(p);
            // HJ 212 has no "not kept" answer: without its 9014 the logger sends the frame again after its
            // timeout (OverTime, ReCount times) and keeps it for a later resend; the connection stays open
            intake.replyIfKept(ctx.channel(), PROTOCOL, () -> ctx.writeAndFlush(r), refusal -> { });
        }
    }

    private List<Reading> readings(ChannelHandlerContext ctx, Sensor s, Period period, Map<String, String> fields,
                                   Instant time, Instant received) {
        DataFlag flag = DataFlag.N;
        String flagText = fields.get("Flag");
        if (flagText != null) {
            try {
                flag = DataFlag.valueOf(flagText);
            } catch (IllegalArgumentException e) {
                reject(ctx, "bad-flag", "factor of sensor " + s.id() + " has unknown data flag '" + flagText + "'");
                return List.of();
            }
        }
        List<Reading> out = new ArrayList<>(2);
        for (var f : fields.entrySet()) {
            Statistic st = statisticOf(f.getKey());
            if (st == null) {
                continue;
            }
            double v;
            try {
                v = Double.parseDouble(f.getValue());
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!Double.isFinite(v)) {
                reject(ctx, "bad-value", "sensor " + s.id() + " " + f.getKey() + "=" + f.getValue() + " is not a number");
                continue;
            }
            out.add(new Reading(s.id(), s.site(), s.metric(), v, time, period, st, flag, received));
        }
        return out;
    }

    private void refuse(ChannelHandlerContext ctx, Hj212Packet p, int qnRtn, String reason, String detail) {
        reject(ctx, reason, detail);
        if (p != null && p.answerRequested()) {
            reply(ctx, Hj212Replies.requestReply(p, qnRtn));
        }
    }

    /** A wrong MN or PW: refused, throttled, and after a few on one connection the connection is closed. */
    private void badLogin(ChannelHandlerContext ctx, DeviceDirectory dir, Hj212Packet p, int qnRtn, String reason, String detail) {
        int failures = Logins.failed(ctx.channel(), p.mn());
        refuse(ctx, p, qnRtn, reason, detail);
        if (failures >= dir.deployment().node().ingestLimits().hj212BadPasswordsPerConnection()) {
            Logins.giveUp(ctx.channel());
            intake.reply(ctx.channel(), PROTOCOL, ctx::close);
        }
    }

    private void reply(ChannelHandlerContext ctx, Hj212Reply r) {
        intake.reply(ctx.channel(), PROTOCOL, () -> ctx.writeAndFlush(r));
    }

    private void reject(ChannelHandlerContext ctx, String reason, String detail) {
        intake.metrics().rejected(PROTOCOL, reason, ctx.channel().remoteAddress(), detail);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            LOG.info("HJ 212 connection from {} idle, closing", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // counted, and logged through the rejection log's limit: a client can make these at will
        intake.metrics().rejected(PROTOCOL, "connection-error", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
