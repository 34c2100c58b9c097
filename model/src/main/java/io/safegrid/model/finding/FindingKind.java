package io.safegrid.model.finding;

/** What a finding says is wrong. Each carries its category and a bilingual name for messages. */
public enum FindingKind {
    THRESHOLD(Category.SENSOR, "超限", "over limit"),
    RATE_OF_CHANGE(Category.SENSOR, "变化过快", "changing too fast"),
    TREND(Category.SENSOR, "趋势预警", "trend warning"),
    SENSOR_FAULT(Category.SENSOR, "传感器故障", "sensor fault"),
    COMPOSITE(Category.SENSOR, "组合条件", "combined condition"),
    DEVICE_OFFLINE(Category.DEVICE, "设备离线", "device offline"),
    SITE_OFFLINE(Category.DEVICE, "企业断线/断电", "site link or power down"),
    CREDENTIAL_ATTACK(Category.DEVICE, "疑似密码攻击", "possible credential attack"),
    VIDEO_LOSS(Category.VIDEO, "视频丢失", "video loss"),
    INTRUSION(Category.VIDEO, "区域入侵", "intrusion"),
    PERSON_IN_DANGER_ZONE(Category.VIDEO, "人员进入危险区域", "person in danger zone"),
    POST_UNATTENDED(Category.VIDEO, "离岗", "post unattended"),
    CROWDING(Category.VIDEO, "人员聚集", "crowding"),
    FIRE(Category.VIDEO, "火焰", "fire"),
    SMOKE(Category.VIDEO, "烟雾", "smoke"),
    TAMPER_COVERED(Category.VIDEO, "遮挡/黑屏", "camera covered"),
    TAMPER_BLUR(Category.VIDEO, "画面模糊", "camera defocused"),
    TAMPER_MOVED(Category.VIDEO, "镜头移位", "camera moved"),
    TAMPER_FROZEN(Category.VIDEO, "画面冻结", "picture frozen"),
    PPE_MISSING(Category.VIDEO, "未佩戴安全帽/防护用品", "protective gear missing"),
    SMOKING(Category.VIDEO, "吸烟", "smoking"),
    PHONE_USE(Category.VIDEO, "违规使用手机", "phone use"),
    DEVICE_ALARM(Category.DEVICE, "设备报警", "device alarm"),
    /** Raised by alerting itself: the alarm store cannot write, or the disk is below its refusing level. */
    STORAGE_TROUBLE(Category.DEVICE, "存储故障", "storage trouble"),
    /** Power still on (or restored) while the bound methane sensor is at or above its power-off limit. */
    POWER_OFF_OVERRIDE(Category.SENSOR, "甲烷超限未断电", "power not cut at the methane limit");

    public enum Category { SENSOR, DEVICE, VIDEO }

    private final Category category;
    private final String labelZh;
    private final String labelEn;

    FindingKind(Category category, String labelZh, String labelEn) {
        this.category = category;
        this.labelZh = labelZh;
        this.labelEn = labelEn;
    }

    public Category category() { return category; }

    public String labelZh() { return labelZh; }

    public String labelEn() { return labelEn; }
}
